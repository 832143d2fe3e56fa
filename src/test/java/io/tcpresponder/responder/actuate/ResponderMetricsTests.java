package io.tcpresponder.responder.actuate;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.AccessLog;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.server.ListenerSettings;
import io.tcpresponder.responder.server.Responders;
import io.tcpresponder.responder.server.RestartMode;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The meters read the responder's counts.
 */
class ResponderMetricsTests {

	private final TcpResponder responder = Responders.newResponder(TransportChoice.AUTO.load(), Responders.anyPort(),
			"hello\n", CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5), false, AccessLog.OFF);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@AfterEach
	void stop() {
		this.responder.stop(Duration.ofSeconds(1));
	}

	@Test
	void metersFollowConnectionsAndRestarts() {
		new ResponderMetrics(this.responder).bindTo(this.registry);
		assertThat(this.registry.get("responder.listening").gauge().value()).isZero();
		this.responder.start();
		for (int i = 0; i < 3; i++) {
			assertThat(Clients.fetch(this.responder.settings().port())).isEqualTo("hello\n");
		}
		this.responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.registry.get("responder.connections.completed").functionCounter().count() == 3);
		assertThat(this.registry.get("responder.connections.accepted").functionCounter().count()).isEqualTo(3);
		assertThat(this.registry.get("responder.connections.active").gauge().value()).isZero();
		assertThat(this.registry.get("responder.written").functionCounter().count()).isEqualTo(18);
		assertThat(this.registry.get("responder.restarts").tag("outcome", "succeeded").functionCounter().count())
			.isEqualTo(1);
		assertThat(this.registry.get("responder.restarts").tag("outcome", "failed").functionCounter().count()).isZero();
		assertThat(this.registry.get("responder.connections.failed").functionCounters()).hasSize(6)
			.allMatch((counter) -> counter.count() == 0);
		assertThat(this.registry.get("responder.listening").gauge().value()).isEqualTo(1);
	}

	@Test
	void listeningHasARowPerAddressThatFollowsARestartChangingThem() {
		TcpResponder responder = Responders.newResponder(TransportChoice.AUTO.load(), Responders.settings(
				List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("127.0.0.2")), 0, Responders.OPTIONS),
				"hello\n", CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5), false, AccessLog.OFF);
		try {
			new ResponderMetrics(responder).bindTo(this.registry);
			assertThat(listening()).containsExactlyInAnyOrderEntriesOf(Map.of("127.0.0.1", 0.0, "127.0.0.2", 0.0));
			responder.start();
			assertThat(listening()).containsExactlyInAnyOrderEntriesOf(Map.of("127.0.0.1", 1.0, "127.0.0.2", 1.0));
			assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> Responders.settings(List.of(InetAddress.ofLiteral("::1")), settings.port(), settings.options())).bound())
				.isTrue();
			assertThat(listening()).containsExactlyInAnyOrderEntriesOf(Map.of("::1", 1.0));
			responder.stop(Duration.ofSeconds(1));
			assertThat(listening()).containsExactlyInAnyOrderEntriesOf(Map.of("::1", 0.0));
		}
		finally {
			responder.stop(Duration.ofSeconds(1));
		}
	}

	private Map<String, Double> listening() {
		return this.registry.find("responder.listening")
			.gauges()
			.stream()
			.collect(Collectors.toMap((gauge) -> gauge.getId().getTag("address"), (gauge) -> gauge.value()));
	}

	@Test
	void everyMeterIsDescribedAndHasOneSetOfTags() {
		new ResponderMetrics(this.responder).bindTo(this.registry);
		for (Meter meter : this.registry.getMeters()) {
			assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
			assertThat(meter.getId().getName()).startsWith("responder.");
		}
		assertThat(this.registry.get("responder.written").functionCounter().getId().getBaseUnit()).isEqualTo("bytes");
		// Prometheus wants the same label names on every series of a metric.
		Map<String, Set<Set<String>>> tagKeys = this.registry.getMeters()
			.stream()
			.collect(Collectors.groupingBy((meter) -> meter.getId().getName(), Collectors.mapping(
					(meter) -> meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet()),
					Collectors.toSet())));
		assertThat(tagKeys).allSatisfy((name, keys) -> assertThat(keys).as(name).hasSize(1))
			.containsEntry("responder.connections.failed", Set.of(Set.of("reason")))
			.containsEntry("responder.restarts", Set.of(Set.of("outcome")))
			.containsEntry("responder.connections.accepted", Set.of(Set.of()))
			.containsEntry("responder.listening", Set.of(Set.of("address")));
		assertThat(tagValues("responder.connections.failed", "reason")).containsExactlyInAnyOrder("reset", "timeout",
				"shutdown", "error", "proxy-invalid", "proxy-timeout");
		assertThat(tagValues("responder.proxy.headers", "outcome")).containsExactlyInAnyOrder("v1", "v2", "local",
				"invalid", "timeout", "untrusted-without-header");
		assertThat(tagValues("responder.restarts", "outcome")).containsExactlyInAnyOrder("succeeded", "failed");
	}

	private List<String> tagValues(String name, String key) {
		return this.registry.find(name).meters().stream().map((meter) -> meter.getId().getTag(key)).toList();
	}

}
