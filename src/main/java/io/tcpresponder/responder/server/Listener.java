package io.tcpresponder.responder.server;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import io.tcpresponder.kernel.bind.BindOracle;
import io.tcpresponder.kernel.bind.ListenerHistory;
import io.tcpresponder.transport.Addresses;
import io.tcpresponder.transport.Connection;
import io.tcpresponder.transport.Handover;
import io.tcpresponder.transport.KernelError;
import io.tcpresponder.transport.ListeningSocket;
import io.tcpresponder.transport.Transport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The listener of one address: its status, and while it is bound, its listening socket and the threads that accept
 * on it ({@code acceptors}, each taking connections from the socket's one accept queue) and hand every connection
 * over to be served.
 */
final class Listener {

	private static final Log logger = LogFactory.getLog(Listener.class);

	private static final long MAX_ACCEPT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * How long a handover waits for the handshakes the old socket began: one whose SYN-ACK was lost completes after
	 * the kernel's first retransmission, a second later. Those still open then move to the successor when they
	 * complete (tcp_migrate_req).
	 */
	private static final Duration HANDOVER_HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);

	private final Transport transport;

	private final @Nullable InetAddress address;

	private final BiConsumer<Connection, ListenerHistory.Entry> served;

	private final BindOracle verdicts;

	private volatile ListenerStatus status;

	private @Nullable ListeningSocket socket;

	private List<Thread> acceptors = List.of();

	private ListenerHistory.@Nullable Entry entry;

	/**
	 * A listener, not bound yet.
	 * @param transport the transport it binds on
	 * @param address the local address, or {@code null} for every local address
	 * @param served told every accepted connection, on the accept thread, with the record its close is told to
	 * @param verdicts what reads the sockets that refuse a bind, and keeps the listeners' records
	 */
	Listener(Transport transport, @Nullable InetAddress address, BiConsumer<Connection, ListenerHistory.Entry> served,
			BindOracle verdicts) {
		this.transport = transport;
		this.address = address;
		this.served = served;
		this.verdicts = verdicts;
		this.status = new ListenerStatus(Addresses.text(address), ListenerState.STOPPED, Instant.now(), null, null);
	}

	ListenerStatus status() {
		return this.status;
	}

	String address() {
		return this.status.address();
	}

	boolean bound() {
		return this.socket != null;
	}

	/**
	 * Binds with the given settings and starts accepting; the listener is then LISTENING. A FAILED listener stays
	 * FAILED, with its last error, until this bind's outcome.
	 * @param settings the port and options
	 * @return the bound port
	 * @throws ResponderBindException if the bind fails; the listener is then FAILED
	 */
	int bind(ListenerSettings settings) {
		// A retry keeps the failed bind's error and verdict until its own outcome replaces them: a probe reading
		// while the verdict is made never sees the error gone with the port still refused.
		if (!this.status.failed()) {
			this.status = this.status.withState(ListenerState.STARTING);
		}
		ListeningSocket socket;
		try {
			socket = this.transport.listen(settings.options(), this.address, settings.port());
		}
		catch (IOException | RuntimeException ex) {
			KernelError error = KernelError.of(ex);
			ResponderBindException failure = new ResponderBindException(settings, address(), error,
					this.verdicts.of(this.address, settings.port(), settings.options(), error), ex);
			logger.warn(failure.getMessage());
			this.status = this.status.failed(error, failure.getFailures().getFirst().verdict());
			throw failure;
		}
		this.socket = socket;
		ListenerHistory.Entry entry = this.verdicts.history().bound(this.address, settings.options());
		this.entry = entry;
		List<Thread> acceptors = new ArrayList<>();
		int count = settings.options().acceptors();
		for (int i = 0; i < count; i++) {
			acceptors.add(Thread.ofPlatform()
				.name("responder-acceptor-" + address() + "-" + socket.port() + ((count > 1) ? "-" + (i + 1) : ""))
				.daemon()
				.start(() -> acceptLoop(socket, entry)));
		}
		this.acceptors = acceptors;
		this.status = this.status.withState(ListenerState.LISTENING);
		return socket.port();
	}

	/**
	 * Keeps the state, with the error of a bind that failed elsewhere for this address, such as a successor's.
	 * @param failure the failure
	 */
	void reportError(ResponderBindException.Failure failure) {
		this.status = this.status.withLastError(failure.error(), failure.verdict());
	}

	private void acceptLoop(ListeningSocket socket, ListenerHistory.Entry entry) {
		long backoff = 0;
		while (true) {
			Connection connection;
			try {
				connection = socket.accept();
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
			this.served.accept(connection, entry);
		}
	}

	/**
	 * Hands this listener's port over to its successor on the same address, then closes this listener: new
	 * connections go to the successor, and this listener closes once its handshakes are done, where the transport
	 * can direct connections; otherwise, or where the successor is on another port (another SO_REUSEPORT group),
	 * it closes at once.
	 * @param successor the listener bound beside this one
	 */
	void handOverTo(Listener successor) {
		Handover handover = Handover.NONE;
		ListeningSocket socket = this.socket;
		ListeningSocket next = successor.socket;
		try {
			if (socket != null && next != null && socket.port() == next.port()) {
				handover = socket.handOverTo(next, HANDOVER_HANDSHAKE_TIMEOUT);
			}
		}
		catch (IOException ex) {
			logger.warn("Handing new connections over to the new listener failed (" + KernelError.of(ex).code()
					+ "): the old one closes while the kernel still sends it connections");
		}
		close();
		try {
			handover.close();
		}
		catch (IOException ex) {
			logger.warn("Ending the handover of new connections failed (" + KernelError.of(ex).code() + ")");
		}
	}

	/**
	 * Stops accepting, waits for the accept threads to finish with the connections in hand, then releases the socket:
	 * on Linux, closing a descriptor would not wake a thread blocked in accept on it. Does nothing when not bound;
	 * the state stays as it is.
	 */
	void close() {
		ListeningSocket socket = this.socket;
		if (socket == null) {
			return;
		}
		socket.shutdown();
		try {
			for (Thread acceptor : this.acceptors) {
				acceptor.join();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		socket.close();
		this.entry.onListenerClosed();
		this.socket = null;
		this.acceptors = List.of();
		this.entry = null;
	}

	/**
	 * Closes the listener for good: STOPPED.
	 */
	void stop() {
		close();
		this.status = this.status.withState(ListenerState.STOPPED);
	}

}
