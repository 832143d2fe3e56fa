package io.tcpresponder.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alerting rules ask for metrics the running service exports, read from its live /actuator/prometheus: a
 * renamed meter would otherwise leave an alert that never fires.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class AlertMetricsTests {

	@LocalServerPort
	private int httpPort;

	@Test
	void rulesUseMetricsTheServiceExports() {
		Set<String> used = new HashSet<>();
		List<Map<String, Object>> rules = at(Repository.yaml(Repository.PROMETHEUS_RULES), "groups[0].rules");
		for (Map<String, Object> rule : rules) {
			Set<String> names = ExportedMetrics.usedBy((String) rule.get("expr"));
			if (!"TcpResponderTargetDown".equals(rule.get("alert"))) {
				assertThat(names).as("responder metrics of %s", rule.get("alert")).isNotEmpty();
			}
			used.addAll(names);
		}
		assertThat(used).contains("responder_listening", "responder_tcp_host_listen_overflows_total",
				"responder_tcp_host_listen_drops_total", "responder_tcp_listen_drops_total",
				"responder_tcp_accept_queue_depth",
				"responder_tcp_accept_queue_limit", "responder_restarts_total", "responder_connections_failed_total",
				"responder_connections_accepted_total");
		assertThat(ExportedMetrics.of(this.httpPort)).containsAll(used);
	}

}
