package io.tcpresponder.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcpresponder.support.Clients;
import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.linux.NativeTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KernelTcpMetricsTests {

	private static final Path FIXTURE_PROC = Path.of("src/test/resources/kernel/proc");

	/** The fixture's listeners on port 8095, as {@link InetAddress#getHostAddress()} writes them. */
	private static final List<String> FIXTURE_ADDRESSES = List.of("127.0.0.1", "0:0:0:0:0:0:0:1");

	/** Bounds a wait on this host's tables, which other programs may make large and slow to read. */
	private static final Duration LIVE_WAIT = Duration.ofSeconds(60);

	private final AtomicLong clock = new AtomicLong();

	private final KernelTcpView view = new KernelTcpView(new ProcSocketTable(FIXTURE_PROC), FIXTURE_PROC,
			Duration.ofSeconds(10), this.clock::get, () -> 6, false);

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final List<Runnable> addressesChanged = new CopyOnWriteArrayList<>();

	@Test
	void readsThePortThroughTheView() {
		metrics(this.view, 8095, FIXTURE_ADDRESSES).bindTo(this.registry);
		assertThat(socketGauge("listen")).isEqualTo(2);
		assertThat(socketGauge("established")).isEqualTo(4);
		assertThat(socketGauge("time_wait")).isEqualTo(3);
		assertThat(socketGauge("close_wait")).isEqualTo(1);
		assertThat(socketGauge("syn_recv")).isZero();
		assertThat(this.registry.get("responder.tcp.sockets").gauges()).hasSize(TcpState.values().length);
		assertThat(listenerGauge("responder.tcp.accept.queue.depth", "127.0.0.1")).isEqualTo(2);
		assertThat(listenerGauge("responder.tcp.accept.queue.depth", "0:0:0:0:0:0:0:1")).isEqualTo(1);
		assertThat(listenerGauge("responder.tcp.accept.queue.limit", "127.0.0.1")).isEqualTo(6);
		assertThat(this.registry.get("responder.tcp.host.listen.overflows").functionCounter().count()).isEqualTo(4);
		assertThat(this.registry.get("responder.tcp.host.listen.drops").functionCounter().count()).isEqualTo(4);
		assertThat(this.registry.find("responder.tcp.listen.drops").meters()).as("/proc does not tell them").isEmpty();
	}

	@Test
	void metersShareTheViewsReading() {
		metrics(this.view, 8095, FIXTURE_ADDRESSES).bindTo(this.registry);
		for (Meter meter : this.registry.getMeters()) {
			meter.measure().forEach((measurement) -> measurement.getValue());
		}
		assertThat(this.view.readings()).isOne();
	}

	@Test
	void everyMeterIsDescribed() {
		metrics(this.view, 8095, FIXTURE_ADDRESSES).bindTo(this.registry);
		assertThat(this.registry.getMeters()).hasSize(TcpState.values().length + 2 + 2 * FIXTURE_ADDRESSES.size())
			.allSatisfy((meter) -> assertThat(meter.getId().getDescription()).isNotBlank());
	}

	@Test
	void registersNothingWhenTheViewIsUnavailable() {
		KernelTcpView unavailable = new KernelTcpView(null, FIXTURE_PROC, Duration.ofSeconds(10), this.clock::get,
				() -> 5, false);
		metrics(unavailable, 8095, FIXTURE_ADDRESSES).bindTo(this.registry);
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void prometheusNamesCarryNoUnit() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		metrics(this.view, 8095, FIXTURE_ADDRESSES).bindTo(prometheus);
		String scrape = prometheus.scrape();
		assertThat(scrape).contains("responder_tcp_sockets{state=\"time_wait\"} 3")
			.contains("responder_tcp_accept_queue_depth{address=\"127.0.0.1\"} 2")
			.contains("responder_tcp_accept_queue_limit{address=\"127.0.0.1\"} 6")
			.contains("responder_tcp_host_listen_overflows_total 4")
			.contains("responder_tcp_host_listen_drops_total 4");
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void followsALiveListener() throws IOException {
		KernelTcpView live = new KernelTcpView(NativeTransport.socketTable(), Path.of("/proc"), Duration.ZERO,
				System::nanoTime, () -> 5, false);
		try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
			metrics(live, server.getLocalPort(), List.of("127.0.0.1")).bindTo(this.registry);
			try (Clients.Held clients = Clients.hold(server.getLocalPort(), 2)) {
				await().atMost(LIVE_WAIT).untilAsserted(() -> {
					assertThat(socketGauge("listen")).isEqualTo(1);
					assertThat(listenerGauge("responder.tcp.accept.queue.depth", "127.0.0.1")).isEqualTo(2);
					assertThat(listenerGauge("responder.tcp.accept.queue.limit", "127.0.0.1")).isEqualTo(5);
				});
			}
		}
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void eachListenersDropsAreItsOwnAndFollowTheAddresses() throws IOException {
		SocketTable table = NativeTransport.socketTable();
		KernelTcpView live = new KernelTcpView(table, Path.of("/proc"), Duration.ZERO, System::nanoTime, () -> 1,
				false);
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		InetAddress second = InetAddress.getByName("127.0.0.2");
		try (ServerSocket full = new ServerSocket(0, 1, loopback); ServerSocket quiet = new ServerSocket()) {
			int port = full.getLocalPort();
			quiet.bind(new InetSocketAddress(second, port), 5);
			AtomicReference<List<String>> addresses = new AtomicReference<>(List.of("127.0.0.1", "127.0.0.2"));
			PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
			new KernelTcpMetrics(live, () -> port, addresses::get, InetAddress::getHostAddress,
					this.addressesChanged::add)
				.bindTo(prometheus);
			try (Clients.Connecting clients = Clients.connectWithoutWaiting(loopback, port, 8)) {
				await().atMost(LIVE_WAIT)
					.untilAsserted(() -> assertThat(prometheus.scrape())
						.containsPattern("(?m)^responder_tcp_listen_drops_total\\{address=\"127\\.0\\.0\\.1\"\\} [1-9]")
						.contains("responder_tcp_listen_drops_total{address=\"127.0.0.2\"} 0.0"));
			}
			addresses.set(List.of("127.0.0.2"));
			this.addressesChanged.forEach(Runnable::run);
			assertThat(prometheus.scrape()).doesNotContain("address=\"127.0.0.1\"")
				.contains("responder_tcp_listen_drops_total{address=\"127.0.0.2\"} 0.0")
				.contains("responder_tcp_accept_queue_limit{address=\"127.0.0.2\"} 5.0");
		}
	}

	private KernelTcpMetrics metrics(KernelTcpView view, int port, List<String> addresses) {
		return new KernelTcpMetrics(view, () -> port, () -> addresses, InetAddress::getHostAddress,
				this.addressesChanged::add);
	}

	private double socketGauge(String state) {
		return this.registry.get("responder.tcp.sockets").tag("state", state).gauge().value();
	}

	private double listenerGauge(String name, String address) {
		return this.registry.get(name).tag("address", address).gauge().value();
	}

}
