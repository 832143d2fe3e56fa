package io.tcpresponder.kernel;

import java.util.function.IntSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters under {@code responder.tcp.} that read the kernel's view of the responder's port. Every meter reads through
 * the view's cache, so a scrape reads the kernel's tables at most once per refresh interval. The port is asked for
 * at each reading, so the meters follow a restart on another port. Where the view is not available (not Linux) no
 * meter is registered.
 *
 * <p>
 * The meters carry no base unit: Prometheus would append it to their names, which read
 * {@code responder_tcp_sockets{state="time_wait"}}, {@code responder_tcp_accept_queue_depth} and
 * {@code responder_tcp_listen_overflows_total}.
 */
public class KernelTcpMetrics implements MeterBinder {

	private final KernelTcpView view;

	private final IntSupplier port;

	public KernelTcpMetrics(KernelTcpView view, IntSupplier port) {
		this.view = view;
		this.port = port;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (!this.view.available()) {
			return;
		}
		for (TcpState state : TcpState.values()) {
			Gauge.builder("responder.tcp.sockets", this.view, (v) -> read(v).count(state))
				.description("Sockets on the responder's port as the kernel reports them, by TCP state")
				.tag("state", state.tag())
				.register(registry);
		}
		Gauge.builder("responder.tcp.accept.queue.depth", this.view, (v) -> read(v).acceptQueueDepth())
			.description("Connections established by the kernel and not yet accepted by the responder")
			.register(registry);
		Gauge.builder("responder.tcp.accept.queue.limit", this.view, (v) -> read(v).acceptQueueLimit())
			.description("The kernel's limit of the responder's accept queue (the effective listen backlog)")
			.register(registry);
		FunctionCounter.builder("responder.tcp.listen.overflows", this.view, (v) -> read(v).listenOverflows())
			.description("Times a listener's accept queue was full when a handshake completed, on the whole host")
			.register(registry);
		FunctionCounter.builder("responder.tcp.listen.drops", this.view, (v) -> read(v).listenDrops())
			.description("Handshakes dropped by listeners on the whole host, accept queue overflows included")
			.register(registry);
	}

	private PortView read(KernelTcpView view) {
		return view.read(this.port.getAsInt());
	}

}
