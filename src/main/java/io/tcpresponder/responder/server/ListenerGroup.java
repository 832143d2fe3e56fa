package io.tcpresponder.responder.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.tcpresponder.kernel.bind.BindOracle;
import io.tcpresponder.kernel.bind.ListenerHistory;
import io.tcpresponder.transport.Addresses;
import io.tcpresponder.transport.Connection;
import io.tcpresponder.transport.Transport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The responder's listeners, one per address of its settings, and the steps that start, restart and stop them, each
 * applied to every address: what a {@link Restart} composes. Not thread-safe: the responder calls it with its
 * lifecycle held; the settings and the statuses may be read from any thread.
 */
final class ListenerGroup {

	private static final Log logger = LogFactory.getLog(ListenerGroup.class);

	private final Transport transport;

	private final BiConsumer<Connection, ListenerHistory.Entry> served;

	private final BindOracle verdicts;

	private final List<Runnable> addressesChanged = new CopyOnWriteArrayList<>();

	private volatile ListenerSettings settings;

	/** One per address of the settings, in their order; replaced as a whole. */
	private volatile List<Listener> listeners;

	ListenerGroup(Transport transport, ListenerSettings settings, BiConsumer<Connection, ListenerHistory.Entry> served,
			BindOracle verdicts) {
		this.transport = transport;
		this.served = served;
		this.verdicts = verdicts;
		this.settings = settings;
		this.listeners = listenersFor(settings);
	}

	ListenerSettings settings() {
		return this.settings;
	}

	Transport transport() {
		return this.transport;
	}

	/**
	 * The status of each listener, one per address of the settings, in their order.
	 * @return the statuses
	 */
	List<ListenerStatus> statuses() {
		return this.listeners.stream().map(Listener::status).toList();
	}

	ResponderStatus status() {
		return ResponderStatus.of(statuses());
	}

	/**
	 * Whether a listener is bound on some address.
	 * @return whether one is
	 */
	boolean anyBound() {
		return this.listeners.stream().anyMatch(Listener::bound);
	}

	/**
	 * Runs the given action whenever the addresses listened on change.
	 * @param action what to run
	 */
	void onAddressesChanged(Runnable action) {
		this.addressesChanged.add(action);
	}

	/**
	 * Binds a listener on every address of the given settings, which stay whether the binds succeed or not; with
	 * port 0 the first listener that binds picks the port, and the others bind the same one.
	 * @param next the settings
	 * @throws ResponderBindException if a listener cannot be bound, naming every address that failed; those are then
	 * FAILED, and the others listen
	 */
	void bind(ListenerSettings next) {
		this.settings = next;
		replaceListeners(listenersFor(next));
		bindEach((listener) -> true);
	}

	/**
	 * Binds again, with the same settings, the listeners whose last bind failed; the others stay as they are.
	 * @throws ResponderBindException if a listener still cannot be bound, naming every address that failed
	 */
	void rebindFailed() {
		bindEach((listener) -> listener.status().failed());
	}

	/**
	 * Binds the listeners that the filter picks with the current settings, each in turn; with port 0 the first that
	 * binds picks the port for the others.
	 * @throws ResponderBindException if a listener cannot be bound, naming every address that failed
	 */
	private void bindEach(Predicate<Listener> which) {
		List<ResponderBindException> failures = new ArrayList<>();
		for (Listener listener : this.listeners) {
			if (which.test(listener)) {
				try {
					this.settings = this.settings.withPort(listener.bind(this.settings));
				}
				catch (ResponderBindException ex) {
					failures.add(ex);
				}
			}
		}
		logListening();
		if (!failures.isEmpty()) {
			throw ResponderBindException.of(failures);
		}
	}

	/**
	 * Closes every listener; they keep their state, until the next bind replaces them.
	 */
	void closeAll() {
		this.listeners.forEach(Listener::close);
	}

	/**
	 * Closes every listener for good: STOPPED.
	 */
	void stopAll() {
		this.listeners.forEach(Listener::stop);
	}

	/**
	 * Binds a listener on every address of the given settings beside the running ones, the first step of a handover.
	 * All or nothing: if one bind fails, the new listeners are closed, the old ones keep listening with the old
	 * settings, and the error is reported on the old listener of that address, where there is one.
	 * @param next the settings
	 * @return the new listeners, bound
	 * @throws ResponderBindException if a listener cannot be bound
	 */
	Successors bindSuccessors(ListenerSettings next) {
		List<Listener> successors = listenersFor(next);
		ListenerSettings bound = next;
		for (Listener successor : successors) {
			try {
				bound = bound.withPort(successor.bind(bound));
			}
			catch (ResponderBindException ex) {
				successors.forEach(Listener::close);
				this.listeners.stream()
					.filter((old) -> old.address().equals(successor.address()))
					.forEach((old) -> old.reportError(ex.getFailures().getFirst()));
				throw ex;
			}
		}
		return new Successors(bound, successors);
	}

	/**
	 * Hands every address over to its successor and closes the old listeners, the second step of a handover: every
	 * address that stays keeps a listener throughout.
	 * @param successors the listeners bound by {@link #bindSuccessors}
	 */
	void handOverTo(Successors successors) {
		List<Listener> old = this.listeners;
		this.settings = successors.settings();
		replaceListeners(successors.listeners());
		for (Listener listener : old) {
			successors.listeners()
				.stream()
				.filter((successor) -> successor.address().equals(listener.address()))
				.findFirst()
				.ifPresentOrElse(listener::handOverTo, listener::close);
		}
		logListening();
	}

	/**
	 * The bind of every address of the given settings as it would go now, each told by the oracle with this process's
	 * listeners left out; a port of 0, which the kernel picks free, always binds.
	 * @param next the settings
	 * @return one per address, in the settings' order
	 */
	List<RestartCheck.Listener> predict(ListenerSettings next) {
		return next.bindAddresses()
			.stream()
			.map((address) -> new RestartCheck.Listener(Addresses.text(address), next.port(),
					(next.port() != 0) ? this.verdicts.predict(address, next.port(), next.options()) : null))
			.toList();
	}

	private List<Listener> listenersFor(ListenerSettings settings) {
		return settings.bindAddresses()
			.stream()
			.map((address) -> new Listener(this.transport, address, this.served, this.verdicts))
			.toList();
	}

	private void replaceListeners(List<Listener> next) {
		List<String> before = this.listeners.stream().map(Listener::address).toList();
		this.listeners = next;
		if (!before.equals(next.stream().map(Listener::address).toList())) {
			this.addressesChanged.forEach(Runnable::run);
		}
	}

	/**
	 * Says which addresses the responder serves, and which it does not, with the kernel's error for each.
	 */
	private void logListening() {
		List<ListenerStatus> statuses = statuses();
		String listening = statuses.stream()
			.filter(ListenerStatus::listening)
			.map(ListenerStatus::address)
			.collect(Collectors.joining(", "));
		String failed = statuses.stream()
			.filter((status) -> !status.listening())
			.map((status) -> status.address() + ((status.lastError() != null)
					? " (" + status.lastError().code() + ": " + status.lastError().message() + ")" : ""))
			.collect(Collectors.joining(", "));
		String port = " port " + this.settings.port();
		String options = " (" + this.settings.options().describe() + ", " + this.transport.name() + " transport; "
				+ this.settings.limits().describe()
				+ (this.settings.proxyProtocol().enabled() ? "; " + this.settings.proxyProtocol().describe() : "") + ")";
		if (failed.isEmpty()) {
			logger.info("TCP responder listening on " + listening + port + options);
		}
		else {
			logger.warn("TCP responder " + (listening.isEmpty() ? "not listening" : "listening on " + listening) + port
					+ "; not on " + failed + options);
		}
	}

	/**
	 * Listeners bound beside the running ones, not serving yet.
	 *
	 * @param settings their settings, with the bound port
	 * @param listeners one per address, in the settings' order
	 */
	record Successors(ListenerSettings settings, List<Listener> listeners) {
	}

}
