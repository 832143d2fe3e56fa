package io.tcpresponder.responder.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.tcpresponder.kernel.bind.BindOracle;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.connection.ConnectionHandler;
import io.tcpresponder.responder.connection.FailureReason;
import io.tcpresponder.transport.Transport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The TCP responder: one listener per configured address, all on one port, each handing the connections it accepts
 * to the connection handler, which writes one line to every client and closes the connection first, so that
 * TIME_WAIT stays on the server's side. Each listener has its own state; start, stop and restart are serialized, and
 * apply to every address; counts are the handler's, and last across restarts.
 */
public final class TcpResponder {

	private static final Log logger = LogFactory.getLog(TcpResponder.class);

	private final ConnectionHandler connections;

	private final ListenerGroup listeners;

	private final BindRetry retry;

	private final List<Runnable> statusChanged = new CopyOnWriteArrayList<>();

	private final Object lifecycleLock = new Object();

	/**
	 * A responder, not started yet.
	 * @param transport the transport its listeners bind on
	 * @param settings the addresses, port, options and limits to bind with
	 * @param connections what serves each connection the listeners accept
	 * @param oracle what tells why a bind was refused, and until when
	 * @param retryBind whether a listener refused with EADDRINUSE binds again by itself when the port frees
	 */
	public TcpResponder(Transport transport, ListenerSettings settings, ConnectionHandler connections,
			BindOracle oracle, boolean retryBind) {
		this.connections = connections;
		this.listeners = new ListenerGroup(transport, settings, connections::serve, oracle);
		this.retry = new BindRetry(retryBind);
	}

	/**
	 * Binds a listener on every address, unless it was started already: once FAILED, only a restart, or with
	 * {@code retry-bind} a retry, binds again.
	 * @throws ResponderBindException if a listener cannot be bound, naming every address that failed; those are then
	 * FAILED, and the others listen
	 */
	public void start() {
		synchronized (this.lifecycleLock) {
			if (status().state() == ResponderState.STOPPED) {
				try {
					this.listeners.bind(this.listeners.settings());
				}
				finally {
					afterBind();
				}
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
	public RestartResult restart(RestartMode mode, UnaryOperator<ListenerSettings> change) {
		synchronized (this.lifecycleLock) {
			ListenerSettings next = change.apply(this.listeners.settings());
			RestartResult result = mode.replace(this.listeners, next);
			if (!(result instanceof RestartResult.Refused)) {
				this.connections.admission().limits(next.limits());
				this.connections.proxyProtocol(next.proxyProtocol());
				this.connections.counts().onRestart(result.bound());
				afterBind();
			}
			return result;
		}
	}

	/**
	 * What a restart would meet, closing nothing: whether the mode would refuse it, and the verdict each address's bind
	 * would get as the port is now. Counted apart from restarts.
	 * @param mode how the listeners would be replaced
	 * @param change makes the new settings from the current ones
	 * @return the check
	 */
	public RestartCheck check(RestartMode mode, UnaryOperator<ListenerSettings> change) {
		synchronized (this.lifecycleLock) {
			ListenerSettings next = change.apply(this.listeners.settings());
			this.connections.counts().onRestartCheck();
			return new RestartCheck(mode.refusal(this.listeners, next), this.listeners.predict(next));
		}
	}

	/**
	 * The retry that {@code retry-bind} scheduled: binds the FAILED listeners again, unless a restart, a stop or
	 * another retry came first. Not a restart: the restart counts stay as they are.
	 */
	private void retryBind(long generation) {
		synchronized (this.lifecycleLock) {
			if (!this.retry.due(generation)) {
				return;
			}
			try {
				this.listeners.rebindFailed();
			}
			catch (ResponderBindException ex) {
				// Logged by the listener; afterBind schedules the next retry.
			}
			afterBind();
		}
	}

	/**
	 * Schedules a retry where a listener is FAILED with EADDRINUSE (or cancels the pending one), and tells those
	 * watching the listeners' states.
	 */
	private void afterBind() {
		this.retry.afterBind(this.listeners.statuses(), this::retryBind);
		this.statusChanged.forEach(Runnable::run);
	}

	/**
	 * When the pending {@code retry-bind} retry binds, if one is pending.
	 * @return the moment, or {@code null}
	 */
	public @Nullable Instant retryAt() {
		return this.retry.retryAt();
	}

	/**
	 * Stops accepting, lets the writes in progress finish within the timeout, and resets those left.
	 * @param timeout how long writes in progress may take
	 */
	public void stop(Duration timeout) {
		synchronized (this.lifecycleLock) {
			this.retry.shutdown();
			this.listeners.stopAll();
			this.statusChanged.forEach(Runnable::run);
		}
		ConnectionCounts served = this.connections.counts();
		long before = served.active();
		this.connections.drain(timeout);
		ConnectionCounts.Snapshot counts = served.snapshot();
		logger.info("TCP responder stopped: " + before + " connection(s) were still being served, "
				+ served.failed(FailureReason.SHUTDOWN) + " reset at shutdown over the process's life; "
				+ counts.accepted() + " accepted, " + counts.completed() + " completed, " + counts.failed() + " failed");
	}

	public ListenerSettings settings() {
		return this.listeners.settings();
	}

	/**
	 * The status of the responder as a whole, combined from its listeners'.
	 * @return the status
	 */
	public ResponderStatus status() {
		return this.listeners.status();
	}

	/**
	 * The status of each listener, one per address of the settings, in their order.
	 * @return the statuses
	 */
	public List<ListenerStatus> listenerStatuses() {
		return this.listeners.statuses();
	}

	/**
	 * Runs the given action whenever a restart changes the addresses listened on, with the lifecycle held.
	 * @param action what to run
	 */
	public void onAddressesChanged(Runnable action) {
		this.listeners.onAddressesChanged(action);
	}

	/**
	 * Runs the given action whenever a bind, a restart, a retry or a stop may have changed a listener's state, with
	 * the lifecycle held.
	 * @param action what to run
	 */
	public void onStatusChanged(Runnable action) {
		this.statusChanged.add(action);
	}

	/**
	 * What serves the connections: their counts, the limits they are held against, the access log.
	 * @return the handler
	 */
	public ConnectionHandler connections() {
		return this.connections;
	}

	public Transport transport() {
		return this.listeners.transport();
	}

}
