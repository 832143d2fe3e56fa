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

	/**
	 * How long a handover waits for the handshakes the old listener began: one whose SYN-ACK was lost completes after
	 * the kernel's first retransmission, a second later. Those still open then move to the new listener when they
	 * complete (tcp_migrate_req).
	 */
	private static final Duration HANDOVER_HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);

	private final Transport transport;

	private final Line line;

	private final ConnectionCounts counts = new ConnectionCounts();

	private final CloseMode closeMode;

	private final PendingConnections pending;

	private final Object lifecycleLock = new Object();

	private volatile ListenerSettings settings;

	private volatile ListenerStatus status = new ListenerStatus(ResponderState.STOPPED, Instant.now(), null);

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
	 * Replaces the listener as the mode does, with the settings that the given function makes of the current ones,
	 * and counts the restart unless the mode refused it.
	 * @param mode how the listener is replaced
	 * @param change makes the new settings from the current ones
	 * @return what came of it
	 */
	RestartResult restart(RestartMode mode, UnaryOperator<ListenerSettings> change) {
		synchronized (this.lifecycleLock) {
			RestartResult result = mode.replace(new Replacement(), change.apply(this.settings));
			if (!(result instanceof RestartResult.Refused)) {
				this.counts.onRestart(result.bound());
			}
			return result;
		}
	}

	/**
	 * A {@link RestartMode#CLOSE_THEN_BIND close-then-bind} restart. The new settings stay, whether the bind succeeds
	 * or not.
	 * @param change makes the new settings from the current ones
	 * @return whether the new listener is bound
	 */
	boolean restart(UnaryOperator<ListenerSettings> change) {
		return restart(RestartMode.CLOSE_THEN_BIND, change).bound();
	}

	/**
	 * A {@link RestartMode#HANDOVER handover}.
	 * @param change makes the new settings from the current ones; they must keep SO_REUSEPORT on
	 * @return whether the new listener is bound
	 * @throws IllegalStateException if the handover is refused: the responder is not listening with SO_REUSEPORT, or
	 * the change turns it off
	 */
	boolean handOver(UnaryOperator<ListenerSettings> change) {
		RestartResult result = restart(RestartMode.HANDOVER, change);
		if (result instanceof RestartResult.Refused refused) {
			throw new IllegalStateException(refused.detail());
		}
		return result.bound();
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

	ListenerStatus status() {
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
		this.status = new ListenerStatus(state, Instant.now(), error);
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
	 * The steps a {@link RestartMode} composes, on this responder with its lifecycle held.
	 */
	final class Replacement {

		private Replacement() {
		}

		ListenerSettings settings() {
			return TcpResponder.this.settings;
		}

		ResponderState state() {
			return TcpResponder.this.status.state();
		}

		boolean listening() {
			return TcpResponder.this.listener != null;
		}

		void closeListener() {
			TcpResponder.this.closeListener();
		}

		/**
		 * Binds a listener with the given settings, which stay whether the bind succeeds or not; a failed bind
		 * leaves the responder FAILED.
		 */
		RestartResult bind(ListenerSettings next) {
			TcpResponder.this.settings = next;
			try {
				TcpResponder.this.bind();
				return new RestartResult.Bound();
			}
			catch (ResponderBindException ex) {
				return new RestartResult.BindFailed(ex.getError());
			}
		}

		/**
		 * Binds a listener with the given settings beside the running one, then closes the old one; a failed bind
		 * leaves the old one listening, with the error reported.
		 */
		RestartResult bindBeside(ListenerSettings next) {
			Listener old = TcpResponder.this.listener;
			try {
				TcpResponder.this.listener = open(next);
			}
			catch (ResponderBindException ex) {
				TcpResponder.this.status = new ListenerStatus(ResponderState.LISTENING, TcpResponder.this.status.since(),
						ex.getError());
				return new RestartResult.BindFailed(ex.getError());
			}
			if (old != null) {
				closeInFavourOf(old, TcpResponder.this.listener);
			}
			setStatus(ResponderState.LISTENING, null);
			return new RestartResult.Bound();
		}

	}

	/**
	 * Closes a listener once its new connections go to its successor and its handshakes are done, then lets the
	 * kernel choose by hash again; where the transport cannot steer, closes it at once.
	 */
	private static void closeInFavourOf(Listener old, Listener successor) {
		Transport.Steering steering = Transport.Steering.NONE;
		try {
			steering = old.socket.yieldTo(successor.socket, HANDOVER_HANDSHAKE_TIMEOUT);
		}
		catch (IOException ex) {
			logger.warn("Steering new connections to the new listener failed (" + KernelError.of(ex).code()
					+ "): the old one closes while the kernel still sends it connections");
		}
		old.close();
		try {
			steering.close();
		}
		catch (IOException ex) {
			logger.warn("Ending the steering of new connections failed (" + KernelError.of(ex).code() + ")");
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

}
