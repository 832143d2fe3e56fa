package io.tcpresponder.responder;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The TCP responder: a listener whose accept loop writes one line to every client and closes the connection first,
 * so that TIME_WAIT stays on the server's side. Start, stop and restart are serialized; counts last across restarts.
 */
final class TcpResponder {

	private static final Log logger = LogFactory.getLog(TcpResponder.class);

	/**
	 * Lines up to this size are written by one blocking write on the accept thread: it is below Linux's smallest
	 * send buffer, so on a new connection such a write returns at once, whatever the client does. Longer lines are
	 * written without waiting, and what is left goes through {@link PendingConnections}.
	 */
	static final int INLINE_WRITE_LIMIT = 4096;

	private static final long MAX_ACCEPT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final Transport transport;

	private final Line line;

	private final ConnectionCounts counts = new ConnectionCounts();

	private final CloseMode closeMode;

	private final PendingConnections pending;

	private final Object lifecycleLock = new Object();

	private volatile ListenerSettings settings;

	private volatile Status status = new Status(ResponderState.STOPPED, Instant.now(), null);

	private @Nullable Listener listener;

	TcpResponder(Transport transport, ListenerSettings settings, String message, CloseMode closeMode,
			Duration writeTimeout, Duration clientCloseTimeout) {
		this.transport = transport;
		this.line = Line.of(message);
		this.settings = settings;
		this.closeMode = closeMode;
		this.pending = new PendingConnections(transport, this.counts, writeTimeout, clientCloseTimeout);
	}

	/**
	 * A responder on the transport {@code auto} picks.
	 */
	TcpResponder(ListenerSettings settings, String message, CloseMode closeMode, Duration writeTimeout,
			Duration clientCloseTimeout) {
		this(TransportChoice.AUTO.load(), settings, message, closeMode, writeTimeout, clientCloseTimeout);
	}

	static TcpResponder of(ResponderProperties properties) {
		return new TcpResponder(properties.transport().load(), properties.listenerSettings(), properties.message(),
				properties.closeMode(), properties.writeTimeout(), properties.clientCloseTimeout());
	}

	/**
	 * Binds the listener, unless it was started already: once FAILED, only a restart binds again.
	 * @throws ResponderBindException if the listener cannot be bound; the responder is then FAILED
	 */
	void start() {
		synchronized (this.lifecycleLock) {
			if (this.status.state() == ResponderState.STOPPED) {
				bind();
			}
		}
	}

	/**
	 * Closes the listener and binds a new one with the settings that the given function makes of the current ones.
	 * The new settings stay, whether the bind succeeds or not.
	 * @param change makes the new settings from the current ones
	 * @return whether the new listener is bound
	 */
	boolean restart(UnaryOperator<ListenerSettings> change) {
		synchronized (this.lifecycleLock) {
			closeListener();
			this.settings = change.apply(this.settings);
			try {
				bind();
				this.counts.onRestart(true);
				return true;
			}
			catch (ResponderBindException ex) {
				this.counts.onRestart(false);
				return false;
			}
		}
	}

	/**
	 * Binds a new listener beside the running one with SO_REUSEPORT, then closes the old one, so that the port never
	 * stops accepting. Connections still in the old listener's accept queue when it closes move to the new one only
	 * where the kernel migrates them ({@code net.ipv4.tcp_migrate_req = 1}); otherwise the kernel resets them. If the
	 * new listener cannot be bound, the old one keeps listening and the error is reported.
	 * @param change makes the new settings from the current ones; they must keep SO_REUSEPORT on
	 * @return whether the new listener is bound
	 * @throws IllegalStateException if the responder is not listening with SO_REUSEPORT, or the change turns it off
	 */
	boolean handOver(UnaryOperator<ListenerSettings> change) {
		synchronized (this.lifecycleLock) {
			ListenerSettings next = change.apply(this.settings);
			if (this.listener == null || !this.settings.reusePort() || !next.reusePort()) {
				throw new IllegalStateException("A handover needs a listening responder with reusePort on, before "
						+ "and after (responder.reuse-port: true); it is " + this.status.state() + " with reusePort "
						+ (this.settings.reusePort() ? "on" : "off"));
			}
			Listener old = this.listener;
			try {
				this.listener = open(next);
			}
			catch (ResponderBindException ex) {
				this.status = new Status(ResponderState.LISTENING, this.status.since(), ex.getError());
				this.counts.onRestart(false);
				return false;
			}
			old.close();
			setStatus(ResponderState.LISTENING, null);
			this.counts.onRestart(true);
			return true;
		}
	}

	/**
	 * Stops accepting, lets the writes in progress finish within the timeout, and resets those left.
	 * @param timeout how long writes in progress may take
	 */
	void stop(Duration timeout) {
		synchronized (this.lifecycleLock) {
			closeListener();
			setStatus(ResponderState.STOPPED, null);
		}
		long before = this.counts.active();
		this.pending.drain(timeout);
		ConnectionCounts.Snapshot counts = this.counts.snapshot();
		logger.info("TCP responder stopped: " + before + " connection(s) were still being served, "
				+ this.counts.failed(FailureReason.SHUTDOWN) + " reset at shutdown over the process's life; "
				+ counts.accepted() + " accepted, " + counts.completed() + " completed, " + counts.failed() + " failed");
	}

	ListenerSettings settings() {
		return this.settings;
	}

	Status status() {
		return this.status;
	}

	ConnectionCounts counts() {
		return this.counts;
	}

	CloseMode closeMode() {
		return this.closeMode;
	}

	Transport transport() {
		return this.transport;
	}

	private void bind() {
		setStatus(ResponderState.STARTING, null);
		try {
			this.listener = open(this.settings);
			setStatus(ResponderState.LISTENING, null);
		}
		catch (ResponderBindException ex) {
			setStatus(ResponderState.FAILED, ex.getError());
			throw ex;
		}
	}

	/**
	 * Binds a listener with the given settings and starts accepting on it; the settings then hold the bound port.
	 * A failed bind leaves the settings as they were.
	 */
	private Listener open(ListenerSettings settings) {
		Transport.Listener socket;
		try {
			socket = this.transport.listen(settings);
		}
		catch (IOException | RuntimeException ex) {
			ResponderBindException failure = new ResponderBindException(settings, KernelError.of(ex), ex);
			logger.warn(failure.getMessage());
			throw failure;
		}
		this.settings = settings.withPort(socket.port());
		logger.info("TCP responder listening on " + settings.addressText() + " port " + socket.port() + " (SO_REUSEADDR "
				+ (settings.reuseAddress() ? "on" : "off") + ", SO_REUSEPORT " + (settings.reusePort() ? "on" : "off")
				+ ", backlog " + settings.backlog() + ", " + this.transport.name() + " transport)");
		return new Listener(socket);
	}

	private void closeListener() {
		if (this.listener != null) {
			this.listener.close();
			this.listener = null;
		}
	}

	private void setStatus(ResponderState state, @Nullable KernelError error) {
		this.status = new Status(state, Instant.now(), error);
	}

	private void serve(Transport.Connection connection) {
		Exchange exchange = new Exchange(connection, this.line, this.closeMode, this.counts);
		try {
			if (!exchange.write()) {
				this.pending.add(exchange);
			}
		}
		catch (IOException | RuntimeException ex) {
			exchange.end(FailureReason.of(ex));
		}
	}

	/**
	 * One bound listener and the thread that accepts on it.
	 */
	private final class Listener {

		private final Transport.Listener socket;

		private final Thread acceptor;

		Listener(Transport.Listener socket) {
			this.socket = socket;
			this.acceptor = new Thread(this::acceptLoop, "responder-acceptor-" + socket.port());
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		private void acceptLoop() {
			long backoff = 0;
			while (true) {
				Transport.Connection connection;
				try {
					connection = this.socket.accept();
					backoff = 0;
				}
				catch (IOException ex) {
					// Out of file descriptors or buffers: the listener stays, and tries again a little later.
					backoff = Math.min(MAX_ACCEPT_BACKOFF_NANOS, Math.max(TimeUnit.MILLISECONDS.toNanos(10), backoff * 2));
					KernelError error = KernelError.of(ex);
					logger.warn("Accepting a connection failed: " + error.code() + " (" + error.message() + "); retrying in "
							+ TimeUnit.NANOSECONDS.toMillis(backoff) + " ms");
					LockSupport.parkNanos(backoff);
					continue;
				}
				if (connection == null) {
					return;
				}
				TcpResponder.this.counts.onAccepted();
				serve(connection);
			}
		}

		/**
		 * Stops accepting, waits for the accept thread to finish with the connection in hand, then releases the
		 * socket: on Linux, closing a descriptor would not wake a thread blocked in accept on it.
		 */
		void close() {
			this.socket.shutdown();
			try {
				this.acceptor.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.socket.close();
		}

	}

	/**
	 * The listener's state, when it began, and the error of the last failed bind.
	 *
	 * @param state the state
	 * @param since when the state began
	 * @param lastError why the last bind failed, or {@code null}
	 */
	record Status(ResponderState state, Instant since, @Nullable KernelError lastError) {
	}

}
