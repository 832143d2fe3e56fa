package io.tcpresponder.responder;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The TCP responder: one listener per configured address, all on one port, whose accept loops write one line to every
 * client and close the connection first, so that TIME_WAIT stays on the server's side. Each listener has its own
 * state; start, stop and restart are serialized, and apply to every address; counts are totals, and last across
 * restarts.
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

	private final List<Runnable> addressesChanged = new CopyOnWriteArrayList<>();

	private volatile ListenerSettings settings;

	/** One per address of the settings, in their order; replaced as a whole, with the lifecycle held. */
	private volatile List<Listener> listeners;

	TcpResponder(Transport transport, ListenerSettings settings, String message, CloseMode closeMode,
			Duration writeTimeout, Duration clientCloseTimeout) {
		this.transport = transport;
		this.line = Line.of(message);
		this.settings = settings;
		this.listeners = listenersFor(settings);
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
	 * Binds a listener on every address, unless it was started already: once FAILED, only a restart binds again.
	 * @throws ResponderBindException if a listener cannot be bound, naming every address that failed; those are then
	 * FAILED, and the others listen
	 */
	void start() {
		synchronized (this.lifecycleLock) {
			if (status().state() == ResponderState.STOPPED) {
				bind();
			}
		}
	}

	/**
	 * Replaces the listeners as the mode does, with the settings that the given function makes of the current ones,
	 * and counts the restart unless the mode refused it: succeeded only when every address is bound.
	 * @param mode how the listeners are replaced
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
	 * @return whether a new listener is bound on every address
	 */
	boolean restart(UnaryOperator<ListenerSettings> change) {
		return restart(RestartMode.CLOSE_THEN_BIND, change).bound();
	}

	/**
	 * A {@link RestartMode#HANDOVER handover}.
	 * @param change makes the new settings from the current ones; they must keep SO_REUSEPORT on
	 * @return whether a new listener is bound on every address (else the old ones still listen)
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
			for (Listener listener : this.listeners) {
				listener.close();
				listener.setStatus(ResponderState.STOPPED, null);
			}
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

	/**
	 * The status of the responder as a whole, combined from its listeners' by {@link ListenerStatus#of(List)}.
	 * @return the status
	 */
	ListenerStatus status() {
		return ListenerStatus.of(listenerStatuses());
	}

	/**
	 * The status of each listener, one per address of the settings, in their order.
	 * @return the statuses
	 */
	List<ListenerStatus> listenerStatuses() {
		return this.listeners.stream().map((listener) -> listener.status).toList();
	}

	/**
	 * Runs the given action whenever a restart changes the addresses listened on, with the lifecycle held.
	 * @param action what to run
	 */
	void onAddressesChanged(Runnable action) {
		this.addressesChanged.add(action);
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

	private List<Listener> listenersFor(ListenerSettings settings) {
		return settings.bindAddresses().stream().map(Listener::new).toList();
	}

	/**
	 * Binds every listener in turn with the current settings. With port 0 the first listener that binds picks the
	 * port, and the others bind the same one.
	 */
	private void bind() {
		List<ResponderBindException> failures = new ArrayList<>();
		for (Listener listener : this.listeners) {
			try {
				listener.bind();
			}
			catch (ResponderBindException ex) {
				failures.add(ex);
			}
		}
		logListening();
		if (!failures.isEmpty()) {
			throw ResponderBindException.of(failures);
		}
	}

	/**
	 * Binds a socket with the given settings on one address; the caller starts accepting on it.
	 */
	private Transport.Listener open(ListenerSettings settings, @Nullable InetAddress address) {
		try {
			return this.transport.listen(settings, address);
		}
		catch (IOException | RuntimeException ex) {
			ResponderBindException failure = new ResponderBindException(settings, address, KernelError.of(ex), ex);
			logger.warn(failure.getMessage());
			throw failure;
		}
	}

	/**
	 * Says which addresses the responder serves, and which it does not, with the kernel's error for each.
	 */
	private void logListening() {
		ListenerSettings settings = this.settings;
		List<ListenerStatus> statuses = listenerStatuses();
		String listening = statuses.stream()
			.filter((status) -> status.state() == ResponderState.LISTENING)
			.map(ListenerStatus::address)
			.collect(Collectors.joining(", "));
		String failed = statuses.stream()
			.filter((status) -> status.state() != ResponderState.LISTENING)
			.map((status) -> status.address() + ((status.lastError() != null)
					? " (" + status.lastError().code() + ": " + status.lastError().message() + ")" : ""))
			.collect(Collectors.joining(", "));
		String options = " (SO_REUSEADDR " + (settings.reuseAddress() ? "on" : "off") + ", SO_REUSEPORT "
				+ (settings.reusePort() ? "on" : "off") + ", backlog " + settings.backlog() + ", "
				+ this.transport.name() + " transport)";
		if (failed.isEmpty()) {
			logger.info("TCP responder listening on " + listening + " port " + settings.port() + options);
		}
		else {
			logger.warn("TCP responder " + (listening.isEmpty() ? "not listening" : "listening on " + listening)
					+ " port " + settings.port() + "; not on " + failed + options);
		}
	}

	private void replaceListeners(List<Listener> next) {
		List<String> before = this.listeners.stream().map((listener) -> listener.status.address()).toList();
		this.listeners = next;
		if (!before.equals(next.stream().map((listener) -> listener.status.address()).toList())) {
			this.addressesChanged.forEach(Runnable::run);
		}
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
	 * The steps a {@link RestartMode} composes, on this responder with its lifecycle held, each applied to every
	 * address.
	 */
	final class Replacement {

		private Replacement() {
		}

		ListenerSettings settings() {
			return TcpResponder.this.settings;
		}

		ResponderState state() {
			return status().state();
		}

		/**
		 * Whether a listener is bound on some address.
		 */
		boolean listening() {
			return TcpResponder.this.listeners.stream().anyMatch(Listener::bound);
		}

		void closeListeners() {
			TcpResponder.this.listeners.forEach(Listener::close);
		}

		/**
		 * Binds a listener on every address of the given settings, which stay whether the binds succeed or not; a
		 * listener whose bind failed is FAILED.
		 */
		RestartResult bind(ListenerSettings next) {
			TcpResponder.this.settings = next;
			replaceListeners(listenersFor(next));
			try {
				TcpResponder.this.bind();
				return new RestartResult.Bound();
			}
			catch (ResponderBindException ex) {
				ResponderBindException.Failure first = ex.getFailures().getFirst();
				return new RestartResult.BindFailed(first.address(), first.error());
			}
		}

		/**
		 * Binds a listener on every address of the given settings beside the running ones, then closes the old ones:
		 * every address that stays keeps a listener throughout. All or nothing: if one bind fails, the new listeners
		 * are closed, the old ones keep listening with the old settings, and the error is reported on the old
		 * listener of that address, where there is one.
		 */
		RestartResult bindBeside(ListenerSettings next) {
			List<Listener> old = TcpResponder.this.listeners;
			List<Listener> fresh = listenersFor(next);
			ListenerSettings bound = next;
			for (Listener listener : fresh) {
				try {
					bound = listener.bind(bound);
				}
				catch (ResponderBindException ex) {
					fresh.forEach(Listener::close);
					for (Listener same : old) {
						if (same.status.address().equals(listener.status.address())) {
							same.status = new ListenerStatus(same.status.address(), same.status.state(),
									same.status.since(), ex.getError());
						}
					}
					return new RestartResult.BindFailed(listener.status.address(), ex.getError());
				}
			}
			TcpResponder.this.settings = bound;
			replaceListeners(fresh);
			for (Listener listener : old) {
				Listener successor = fresh.stream()
					.filter((candidate) -> candidate.status.address().equals(listener.status.address()))
					.findFirst()
					.orElse(null);
				if (successor != null) {
					closeInFavourOf(listener, successor);
				}
				else {
					listener.close();
				}
			}
			logListening();
			return new RestartResult.Bound();
		}

	}

	/**
	 * Closes a listener once its new connections go to its successor on the same address and its handshakes are
	 * done, then lets the kernel choose by hash again; where the transport cannot steer, either is not bound, or the
	 * successor is on another port (another SO_REUSEPORT group), closes it at once.
	 */
	private static void closeInFavourOf(Listener old, Listener successor) {
		Transport.Steering steering = Transport.Steering.NONE;
		try {
			if (old.socket != null && successor.socket != null && old.socket.port() == successor.socket.port()) {
				steering = old.socket.yieldTo(successor.socket, HANDOVER_HANDSHAKE_TIMEOUT);
			}
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
	 * The listener of one address: its status, and while it is bound, its socket and the thread that accepts on it.
	 */
	private final class Listener {

		private final @Nullable InetAddress address;

		private volatile ListenerStatus status;

		private Transport.@Nullable Listener socket;

		private @Nullable Thread acceptor;

		Listener(@Nullable InetAddress address) {
			this.address = address;
			this.status = new ListenerStatus(ListenerSettings.text(address), ResponderState.STOPPED, Instant.now(), null);
		}

		boolean bound() {
			return this.socket != null;
		}

		void setStatus(ResponderState state, @Nullable KernelError error) {
			this.status = this.status.withState(state, error);
		}

		/**
		 * Binds with the responder's settings, which then hold the bound port.
		 * @throws ResponderBindException if the bind fails; the listener is then FAILED
		 */
		void bind() {
			setStatus(ResponderState.STARTING, null);
			try {
				TcpResponder.this.settings = bind(TcpResponder.this.settings);
			}
			catch (ResponderBindException ex) {
				setStatus(ResponderState.FAILED, ex.getError());
				throw ex;
			}
		}

		/**
		 * Binds with the given settings and starts accepting; the listener is then LISTENING.
		 * @return the settings with the bound port, which the next listener binds
		 * @throws ResponderBindException if the bind fails; the status is left as it was
		 */
		ListenerSettings bind(ListenerSettings settings) {
			Transport.Listener socket = open(settings, this.address);
			this.socket = socket;
			this.acceptor = new Thread(() -> acceptLoop(socket),
					"responder-acceptor-" + this.status.address() + "-" + socket.port());
			this.acceptor.setDaemon(true);
			this.acceptor.start();
			setStatus(ResponderState.LISTENING, null);
			return settings.withPort(socket.port());
		}

		private void acceptLoop(Transport.Listener socket) {
			long backoff = 0;
			while (true) {
				Transport.Connection connection;
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
				TcpResponder.this.counts.onAccepted();
				serve(connection);
			}
		}

		/**
		 * Stops accepting, waits for the accept thread to finish with the connection in hand, then releases the
		 * socket: on Linux, closing a descriptor would not wake a thread blocked in accept on it. Does nothing when
		 * not bound.
		 */
		void close() {
			Transport.Listener socket = this.socket;
			if (socket == null) {
				return;
			}
			socket.shutdown();
			try {
				this.acceptor.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			socket.close();
			this.socket = null;
			this.acceptor = null;
		}

	}

}
