package io.tcpresponder.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KernelTcpMetricsTests {

	private static final Path FIXTURE_PROC = Path.of("src/test/resources/kernel/proc");

	private final AtomicLong clock = new AtomicLong();

	private final KernelTcpView view = new KernelTcpView(FIXTURE_PROC, Duration.ofSeconds(10), this.clock::get,
			() -> 6);

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void readsThePortThroughTheView() {
		new KernelTcpMetrics(this.view, () -> 8095).bindTo(this.registry);
		assertThat(socketGauge("listen")).isEqualTo(2);
		assertThat(socketGauge("established")).isEqualTo(4);
		assertThat(socketGauge("time_wait")).isEqualTo(3);
		assertThat(socketGauge("close_wait")).isEqualTo(1);
		assertThat(socketGauge("syn_recv")).isZero();
		assertThat(this.registry.get("responder.tcp.sockets").gauges()).hasSize(TcpState.values().length);
		assertThat(this.registry.get("responder.tcp.accept.queue.depth").gauge().value()).isEqualTo(3);
		assertThat(this.registry.get("responder.tcp.accept.queue.limit").gauge().value()).isEqualTo(12);
		assertThat(this.registry.get("responder.tcp.listen.overflows").functionCounter().count()).isEqualTo(4);
		assertThat(this.registry.get("responder.tcp.listen.drops").functionCounter().count()).isEqualTo(4);
	}

	@Test
	void metersShareTheViewsReading() {
		new KernelTcpMetrics(this.view, () -> 8095).bindTo(this.registry);
		for (Meter meter : this.registry.getMeters()) {
			meter.measure().forEach((measurement) -> measurement.getValue());
		}
		assertThat(this.view.readings()).isOne();
	}

	@Test
	void everyMeterIsDescribed() {
		new KernelTcpMetrics(this.view, () -> 8095).bindTo(this.registry);
		assertThat(this.registry.getMeters()).hasSize(TcpState.values().length + 4)
			.allSatisfy((meter) -> assertThat(meter.getId().getDescription()).isNotBlank());
	}

	@Test
	void registersNothingWhenTheViewIsUnavailable(@TempDir Path dir) {
		KernelTcpView unavailable = new KernelTcpView(dir, Duration.ofSeconds(10), this.clock::get, () -> 5);
		new KernelTcpMetrics(unavailable, () -> 8095).bindTo(this.registry);
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void prometheusNamesCarryNoUnit() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		new KernelTcpMetrics(this.view, () -> 8095).bindTo(prometheus);
		String scrape = prometheus.scrape();
		assertThat(scrape).contains("responder_tcp_sockets{state=\"time_wait\"} 3")
			.contains("responder_tcp_accept_queue_depth 3")
			.contains("responder_tcp_accept_queue_limit 12")
			.contains("responder_tcp_listen_overflows_total 4")
			.contains("responder_tcp_listen_drops_total 4");
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void followsALiveListener() throws IOException {
		KernelTcpView live = new KernelTcpView(Duration.ZERO, () -> 5);
		try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
			new KernelTcpMetrics(live, server::getLocalPort).bindTo(this.registry);
			try (Clients.Held clients = Clients.hold(server.getLocalPort(), 2)) {
				// A bound on reading this host's tables, which other programs may make large and slow to read.
				await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					assertThat(socketGauge("listen")).isEqualTo(1);
					assertThat(this.registry.get("responder.tcp.accept.queue.depth").gauge().value()).isEqualTo(2);
					assertThat(this.registry.get("responder.tcp.accept.queue.limit").gauge().value()).isEqualTo(5);
				});
			}
		}
	}

	private double socketGauge(String state) {
		return this.registry.get("responder.tcp.sockets").tag("state", state).gauge().value();
	}

}
