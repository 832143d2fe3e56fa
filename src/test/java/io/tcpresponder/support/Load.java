package io.tcpresponder.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Client threads that connect to the responder again and again, each reading until the server ends the connection,
 * and judge what every connection received: the whole line, nothing, or part of it.
 */
public final class Load implements AutoCloseable {

	private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

	/** No client thread makes more connections than this, however long it runs. */
	private static final int MAX_CONNECTIONS_PER_THREAD = 5_000_000;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Worker> workers = new ArrayList<>();

	private final long startNanos = System.nanoTime();

	private Outcomes outcomes;

	private Load(InetAddress address, int port, byte[] line, int threads, int connectTimeoutMillis) {
		for (int i = 0; i < threads; i++) {
			Worker worker = new Worker(address, port, line, connectTimeoutMillis);
			worker.thread.setName("load-client-" + i);
			this.workers.add(worker);
			worker.thread.start();
		}
	}

	/**
	 * Starts client threads.
	 * @param port the responder's port
	 * @param line the line every client should receive
	 * @param threads how many client threads
	 * @param connectTimeoutMillis how long a connect may take before the client gives up
	 * @return the running load
	 */
	public static Load start(int port, String line, int threads, int connectTimeoutMillis) {
		return start(LOOPBACK, port, line, threads, connectTimeoutMillis);
	}

	/**
	 * Starts client threads that connect to one address of the machine, such as {@code 127.0.0.2} or {@code ::1}.
	 * @param address the responder's address
	 * @param port the responder's port
	 * @param line the line every client should receive
	 * @param threads how many client threads
	 * @param connectTimeoutMillis how long a connect may take before the client gives up
	 * @return the running load
	 */
	public static Load start(InetAddress address, int port, String line, int threads, int connectTimeoutMillis) {
		return new Load(address, port, line.getBytes(StandardCharsets.UTF_8), threads, connectTimeoutMillis);
	}

	/**
	 * Connections made so far, whatever their outcome.
	 * @return the number of connections tried
	 */
	public long attempts() {
		long attempts = 0;
		for (Worker worker : this.workers) {
			attempts += worker.attempts;
		}
		return attempts;
	}

	/**
	 * Stops the client threads, each after its connection in progress, and adds up what they received.
	 * @return the outcomes of every connection
	 */
	public synchronized Outcomes stop() {
		if (this.outcomes == null) {
			this.running.set(false);
			Outcomes total = Outcomes.NONE;
			for (Worker worker : this.workers) {
				try {
					worker.thread.join(TimeUnit.SECONDS.toMillis(60));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				if (worker.thread.isAlive()) {
					throw new IllegalStateException(worker.thread.getName() + " did not stop");
				}
				total = total.plus(worker.outcomes);
			}
			this.outcomes = total.took(System.nanoTime() - this.startNanos);
		}
		return this.outcomes;
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * Connects once and reads until the server ends the connection.
	 * @param port the responder's port
	 * @param line the line expected
	 * @param connectTimeoutMillis how long the connect may take
	 * @param readTimeoutMillis how long a read may wait
	 * @return what this connection received
	 */
	public static Reception receive(int port, byte[] line, int connectTimeoutMillis, int readTimeoutMillis) {
		return receive(LOOPBACK, port, line, connectTimeoutMillis, readTimeoutMillis);
	}

	/**
	 * Connects once to one address of the machine and reads until the server ends the connection.
	 * @param address the responder's address
	 * @param port the responder's port
	 * @param line the line expected
	 * @param connectTimeoutMillis how long the connect may take
	 * @param readTimeoutMillis how long a read may wait
	 * @return what this connection received
	 */
	public static Reception receive(InetAddress address, int port, byte[] line, int connectTimeoutMillis,
			int readTimeoutMillis) {
		Socket socket = new Socket();
		try (socket) {
			try {
				socket.connect(new InetSocketAddress(address, port), connectTimeoutMillis);
				socket.setSoTimeout(readTimeoutMillis);
			}
			catch (IOException ex) {
				return Reception.NOT_CONNECTED;
			}
			Reception reception = receive(socket.getInputStream(), line);
			// A reset rather than a FIN answers the server's end, so the server's side closes without TIME_WAIT: load
			// makes tens of thousands of connections a minute, which would fill the host's TIME_WAIT table
			// (net.ipv4.tcp_max_tw_buckets) that other tests count on.
			socket.setSoLinger(true, 0);
			return reception;
		}
		catch (IOException ex) {
			return Reception.NOT_CONNECTED; // closing failed; nothing was received
		}
	}

	/**
	 * Reads until end of stream or an error, comparing every byte with the line as it comes, without keeping it.
	 * @param in the connection's stream
	 * @param line the line expected
	 * @return what was received
	 */
	public static Reception receive(InputStream in, byte[] line) {
		byte[] buffer = new byte[64 * 1024];
		long received = 0;
		boolean matches = true;
		try {
			for (int n; (n = in.read(buffer)) != -1;) {
				for (int i = 0; i < n && matches; i++) {
					long at = received + i;
					matches = at < line.length && buffer[i] == line[(int) at];
				}
				received += n;
			}
		}
		catch (SocketTimeoutException ex) {
			return (received == 0) ? Reception.NOTHING_TIMED_OUT : Reception.PARTIAL_TIMED_OUT;
		}
		catch (SocketException ex) {
			if (received == 0) {
				return Reception.NOTHING_RESET;
			}
			return (matches && received == line.length) ? Reception.WHOLE_THEN_RESET : Reception.PARTIAL_THEN_RESET;
		}
		catch (IOException ex) {
			return (received == 0) ? Reception.NOTHING_RESET : Reception.PARTIAL_THEN_RESET;
		}
		if (received == 0) {
			return Reception.NOTHING_THEN_END;
		}
		return (matches && received == line.length) ? Reception.WHOLE : Reception.PARTIAL_THEN_END;
	}

	/**
	 * What one connection received.
	 */
	public enum Reception {

		/** The exact line, then end of stream. */
		WHOLE,
		/** The exact line, then a reset. */
		WHOLE_THEN_RESET,
		/** The connect failed: refused, reset or timed out. */
		NOT_CONNECTED,
		/** Connected, then reset before any byte. */
		NOTHING_RESET,
		/** Connected, then end of stream before any byte. */
		NOTHING_THEN_END,
		/** Connected, and no byte came within the read timeout. */
		NOTHING_TIMED_OUT,
		/** Part of the line (or other bytes), then a reset. */
		PARTIAL_THEN_RESET,
		/** Part of the line (or other bytes), then a clean end of stream: what must never happen. */
		PARTIAL_THEN_END,
		/** Part of the line, then nothing more within the read timeout. */
		PARTIAL_TIMED_OUT;

		/**
		 * Whether the client received the exact line.
		 * @return whether the whole line came
		 */
		public boolean whole() {
			return this == WHOLE || this == WHOLE_THEN_RESET;
		}

		/**
		 * Whether the client received no byte at all.
		 * @return whether nothing came
		 */
		public boolean nothing() {
			return this == NOT_CONNECTED || this == NOTHING_RESET || this == NOTHING_THEN_END
					|| this == NOTHING_TIMED_OUT;
		}

	}

	/**
	 * Outcomes of many connections.
	 *
	 * @param whole connections that received the exact line
	 * @param nothing connections that failed to connect or received no byte
	 * @param notConnected of those, the connects that failed
	 * @param partial connections that received part of the line (or anything else but the line)
	 * @param nanos how long the load ran
	 */
	public record Outcomes(long whole, long nothing, long notConnected, long partial, long nanos) {

		public static final Outcomes NONE = new Outcomes(0, 0, 0, 0, 0);

		public static Outcomes of(Reception reception) {
			return new Outcomes(reception.whole() ? 1 : 0, reception.nothing() ? 1 : 0,
					(reception == Reception.NOT_CONNECTED) ? 1 : 0,
					(!reception.whole() && !reception.nothing()) ? 1 : 0, 0);
		}

		public Outcomes plus(Outcomes other) {
			return new Outcomes(this.whole + other.whole, this.nothing + other.nothing,
					this.notConnected + other.notConnected, this.partial + other.partial, this.nanos + other.nanos);
		}

		Outcomes took(long nanos) {
			return new Outcomes(this.whole, this.nothing, this.notConnected, this.partial, nanos);
		}

		public long connections() {
			return this.whole + this.nothing + this.partial;
		}

		/**
		 * Connections per second over the time the load ran.
		 * @return connections tried per second
		 */
		public long perSecond() {
			return (this.nanos > 0) ? Math.round(connections() * 1e9 / this.nanos) : 0;
		}

	}

	private final class Worker {

		private final Thread thread;

		private volatile long attempts;

		private Outcomes outcomes = Outcomes.NONE;

		Worker(InetAddress address, int port, byte[] line, int connectTimeoutMillis) {
			this.thread = new Thread(() -> run(address, port, line, connectTimeoutMillis));
			this.thread.setDaemon(true);
		}

		private void run(InetAddress address, int port, byte[] line, int connectTimeoutMillis) {
			long whole = 0;
			long nothing = 0;
			long notConnected = 0;
			long partial = 0;
			for (int i = 0; i < MAX_CONNECTIONS_PER_THREAD && Load.this.running.get(); i++) {
				Reception reception = receive(address, port, line, connectTimeoutMillis, Clients.TIMEOUT_MILLIS);
				if (reception.whole()) {
					whole++;
				}
				else if (reception.nothing()) {
					nothing++;
					if (reception == Reception.NOT_CONNECTED) {
						notConnected++;
					}
				}
				else {
					partial++;
				}
				this.attempts = i + 1;
			}
			this.outcomes = new Outcomes(whole, nothing, notConnected, partial, 0);
		}

	}

}
