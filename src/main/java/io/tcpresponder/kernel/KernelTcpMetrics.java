package io.tcpresponder.kernel;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters under {@code responder.tcp.} that read the kernel's view of the responder's port. Every meter reads through
 * the view's cache, so a scrape reads the kernel's table at most once per refresh interval. The port is asked for at
 * each reading, so the meters follow a restart on another port. Where the view is not available (not Linux) no
 * meter is registered.
 *
 * <p>
 * The accept queue and the drops are each listener's own, tagged with its {@code address} as
 * {@code responder_listening} has it: the kernel's figures for the listening sockets bound there (summed over a
 * SO_REUSEPORT group's members during a handover), so that a listener that dropped nothing shows 0 while another on
 * the host drops. A socket's drops start at 0 when it is made, which Prometheus reads as a counter reset. The drops
 * are registered only where the table tells them (sock_diag). ListenOverflows and ListenDrops of the whole host keep
 * a name that says so.
 *
 * <p>
 * The meters carry no base unit: Prometheus would append it to their names, which read
 * {@code responder_tcp_sockets{state="time_wait"}}, {@code responder_tcp_accept_queue_depth{address="::"}} and
 * {@code responder_tcp_host_listen_overflows_total}.
 */
public class KernelTcpMetrics implements MeterBinder {

	private final KernelTcpView view;

	private final IntSupplier port;

	private final Supplier<List<String>> addresses;

	private final Function<InetAddress, String> addressText;

	private final Consumer<Runnable> onAddressesChanged;

	private final Map<String, FunctionCounter> drops = new HashMap<>();

	/**
	 * Meters of the responder's port and listeners.
	 * @param view the kernel's view
	 * @param port the responder's port
	 * @param addresses the responder's listener addresses, as its meters tag them
	 * @param addressText how a listener's address is written in those tags
	 * @param onAddressesChanged registers what to run when the addresses change
	 */
	public KernelTcpMetrics(KernelTcpView view, IntSupplier port, Supplier<List<String>> addresses,
			Function<InetAddress, String> addressText, Consumer<Runnable> onAddressesChanged) {
		this.view = view;
		this.port = port;
		this.addresses = addresses;
		this.addressText = addressText;
		this.onAddressesChanged = onAddressesChanged;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (!this.view.available()) {
			return;
		}
		for (TcpState state : TcpState.values()) {
			Gauge.builder("responder.tcp.sockets", this.view, (v) -> read().count(state))
				.description("Sockets on the responder's port as the kernel reports them, by TCP state")
				.tag("state", state.tag())
				.register(registry);
		}
		MultiGauge depth = MultiGauge.builder("responder.tcp.accept.queue.depth")
			.description("Connections established by the kernel and not yet accepted by the listener")
			.register(registry);
		MultiGauge limit = MultiGauge.builder("responder.tcp.accept.queue.limit")
			.description("The kernel's limit of the listener's accept queue (the effective listen backlog)")
			.register(registry);
		FunctionCounter.builder("responder.tcp.host.listen.overflows", this.view, (v) -> read().hostListenOverflows())
			.description("Times an accept queue was full when a handshake completed, on the whole host (TcpExt "
					+ "ListenOverflows)")
			.register(registry);
		FunctionCounter.builder("responder.tcp.host.listen.drops", this.view, (v) -> read().hostListenDrops())
			.description("Handshakes dropped by any listener on the whole host, accept queue overflows included "
					+ "(TcpExt ListenDrops)")
			.register(registry);
		Runnable register = () -> registerListeners(registry, depth, limit);
		register.run();
		this.onAddressesChanged.accept(register);
	}

	/**
	 * One row per listener address; a restart that changes the addresses replaces them.
	 */
	private synchronized void registerListeners(MeterRegistry registry, MultiGauge depth, MultiGauge limit) {
		List<String> addresses = this.addresses.get();
		depth.register(rows(addresses, PortListener::acceptQueueDepth), true);
		limit.register(rows(addresses, PortListener::acceptQueueLimit), true);
		if (!this.view.tellsDrops()) {
			return;
		}
		this.drops.entrySet().removeIf((entry) -> {
			if (addresses.contains(entry.getKey())) {
				return false;
			}
			registry.remove(entry.getValue());
			return true;
		});
		for (String address : addresses) {
			this.drops.computeIfAbsent(address, (a) -> FunctionCounter
				.builder("responder.tcp.listen.drops", this.view, (v) -> sum(a, (listener) -> (listener.drops() != null) ? listener.drops() : 0))
				.description("Handshakes the kernel dropped on the listener, accept queue overflows included "
						+ "(SK_MEMINFO_DROPS of its sockets)")
				.tag("address", a)
				.register(registry));
		}
	}

	private List<MultiGauge.Row<?>> rows(List<String> addresses, ToDoubleFunction<PortListener> figure) {
		return addresses.stream()
			.<MultiGauge.Row<?>>map((address) -> MultiGauge.Row.of(Tags.of("address", address), this.view,
					(v) -> sum(address, figure)))
			.toList();
	}

	private double sum(String address, ToDoubleFunction<PortListener> figure) {
		double sum = 0;
		for (PortListener listener : read().listeners()) {
			if (this.addressText.apply(listener.address()).equals(address)) {
				sum += figure.applyAsDouble(listener);
			}
		}
		return sum;
	}

	private PortView read() {
		return this.view.read(this.port.getAsInt());
	}

}
