package io.tcpresponder.deploy;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.TimeWaitRestart;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.annotation.DirtiesContext;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alerting rules ask for metrics the running service exports, read from its live /actuator/prometheus, listening
 * and then with its listener refused over TIME_WAIT (the state the countdown exists in, and that the test leaves the
 * service in): a renamed meter would otherwise leave an alert that never fires.
 */
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "responder.bind-addresses=127.0.0.1", "responder.retry-bind=false" })
class AlertMetricsTests {

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

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
				"responder_connections_accepted_total", "responder_listener_until_free_seconds");
		Set<String> exported = new HashSet<>(ExportedMetrics.of(this.httpPort));
		// The countdown of a listener refused with EADDRINUSE exists only then: refuse one over TIME_WAIT.
		Actuator operator = new Actuator(this.httpPort).asOperator(this.security);
		assertThat(TimeWaitRestart.refused(operator, InetAddress.ofLiteral("127.0.0.1")).statusCode()).isEqualTo(409);
		exported.addAll(ExportedMetrics.scraped(this.httpPort));
		assertThat(exported).containsAll(used);
	}

}
