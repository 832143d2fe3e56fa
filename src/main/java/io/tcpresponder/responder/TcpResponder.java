package io.tcpresponder.responder;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.tcpresponder.kernel.BindBlockers;
import io.tcpresponder.transport.Connection;
import io.tcpresponder.transport.Line;
import io.tcpresponder.transport.Transport;
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

	private final Line line;

	private final AfterLine afterLine;

	private final CloseMode closeMode;

	private final ConnectionCounts counts = new ConnectionCounts();

	private final PendingConnections pending;

	private final ListenerGroup listeners;

	private final BindRetry retry;

	private final Admission admission;

	private final AccessLog accessLog;

	private final List<Runnable> statusChanged = new CopyOnWriteArrayList<>();

	private final Object lifecycleLock = new Object();

	/**
	 * A responder, not started yet.
	 * @param transport the transport its listeners bind on
	 * @param settings the addresses, port and options to bind
	 * @param message the line written to every client
	 * @param closeMode which side closes first
	 * @param writeTimeout how long a client may take no byte of the line
	 * @param clientCloseTimeout how long to wait for the client to close, where the close mode waits
	 * @param retryBind whether a listener refused with EADDRINUSE binds again by itself when the port frees
	 */
	TcpResponder(Transport transport, ListenerSettings settings, String message, CloseMode closeMode,
			Duration writeTimeout, Duration clientCloseTimeout, boolean retryBind) {
		this(transport, settings, message, closeMode, writeTimeout, clientCloseTimeout, retryBind, AccessLog.OFF);
	}

	/**
	 * A responder, not started yet, that writes an access log.
	 * @param accessLog where each connection's line goes
	 */
	TcpResponder(Transport transport, ListenerSettings settings, String message, CloseMode closeMode,
			Duration writeTimeout, Duration clientCloseTimeout, boolean retryBind, AccessLog accessLog) {
		this.accessLog = accessLog;
		this.admission = new Admission(settings.limits());
		this.line = Line.of(message);
		this.closeMode = closeMode;
		this.afterLine = closeMode.afterLine(clientCloseTimeout);
		this.pending = new PendingConnections(transport, this.counts, writeTimeout);
		this.listeners = new ListenerGroup(transport, settings, this::serve,
				new BindVerdicts(new BindBlockers(KernelSocketTable.get()), new ListenerHistory()));
		this.retry = new BindRetry(retryBind);
	}

	/**
	 * Binds a listener on every address, unless it was started already: once FAILED, only a restart, or with
	 * {@code retry-bind} a retry, binds again.
	 * @throws ResponderBindException if a listener cannot be bound, naming every address that failed; those are then
	 * FAILED, and the others listen
	 */
	void start() {
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
	RestartResult restart(RestartMode mode, UnaryOperator<ListenerSettings> change) {
		synchronized (this.lifecycleLock) {
			ListenerSettings next = change.apply(this.listeners.settings());
			RestartResult result = mode.replace(this.listeners, next);
			if (!(result instanceof RestartResult.Refused)) {
				this.admission.limits(next.limits());
				this.counts.onRestart(result.bound());
				afterBind();
			}
			return result;
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
	@Nullable Instant retryAt() {
		return this.retry.retryAt();
	}

	/**
	 * Stops accepting, lets the writes in progress finish within the timeout, and resets those left.
	 * @param timeout how long writes in progress may take
	 */
	void stop(Duration timeout) {
		synchronized (this.lifecycleLock) {
			this.retry.shutdown();
			this.listeners.stopAll();
			this.statusChanged.forEach(Runnable::run);
		}
		long before = this.counts.active();
		this.pending.drain(timeout);
		this.accessLog.flush(timeout.toNanos());
		ConnectionCounts.Snapshot counts = this.counts.snapshot();
		logger.info("TCP responder stopped: " + before + " connection(s) were still being served, "
				+ this.counts.failed(FailureReason.SHUTDOWN) + " reset at shutdown over the process's life; "
				+ counts.accepted() + " accepted, " + counts.completed() + " completed, " + counts.failed() + " failed");
	}

	ListenerSettings settings() {
		return this.listeners.settings();
	}

	/**
	 * The status of the responder as a whole, combined from its listeners'.
	 * @return the status
	 */
	ResponderStatus status() {
		return this.listeners.status();
	}

	/**
	 * The status of each listener, one per address of the settings, in their order.
	 * @return the statuses
	 */
	List<ListenerStatus> listenerStatuses() {
		return this.listeners.statuses();
	}

	/**
	 * Runs the given action whenever a restart changes the addresses listened on, with the lifecycle held.
	 * @param action what to run
	 */
	void onAddressesChanged(Runnable action) {
		this.listeners.onAddressesChanged(action);
	}

	/**
	 * Runs the given action whenever a bind, a restart, a retry or a stop may have changed a listener's state, with
	 * the lifecycle held.
	 * @param action what to run
	 */
	void onStatusChanged(Runnable action) {
		this.statusChanged.add(action);
	}

	ConnectionCounts counts() {
		return this.counts;
	}

	Admission admission() {
		return this.admission;
	}

	AccessLog accessLog() {
		return this.accessLog;
	}

	CloseMode closeMode() {
		return this.closeMode;
	}

	Transport transport() {
		return this.listeners.transport();
	}

	/**
	 * Serves a connection on the accept thread: refused at once over a limit, else the line in one write where it
	 * goes, the rest by the pending connections' thread.
	 */
	private void serve(Connection connection, ListenerHistory.Entry listener) {
		this.counts.onAccepted();
		ClientKey client = ClientKey.of(connection.remote().getAddress(), this.admission.limits());
		Refusal refusal = this.admission.admit(client);
		if (refusal != null) {
			Exchange.refuse(connection, refusal, this.counts, this.accessLog);
			return;
		}
		Exchange exchange = new Exchange(connection, this.line, this.afterLine, this.counts, listener,
				this.admission, client, this.accessLog);
		try {
			if (!exchange.write()) {
				this.pending.add(exchange);
			}
		}
		catch (IOException | RuntimeException ex) {
			exchange.end(FailureReason.of(ex));
		}
	}

}
