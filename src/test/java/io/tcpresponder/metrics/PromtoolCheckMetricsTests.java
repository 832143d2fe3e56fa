package io.tcpresponder.metrics;

import java.io.IOException;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.Promtool;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole Prometheus exposition of the running service passes Prometheus' own linter.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class PromtoolCheckMetricsTests {

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	@Test
	void expositionHasNoFindings() throws IOException, InterruptedException {
		Promtool.assumeInstalled();
		Actuator actuator = new Actuator(this.httpPort).asOperator(this.security);
		Clients.fetch(actuator.responder().get("port").asInt());
		actuator.post("/actuator/responder/restart", "{\"port\": 70000}");
		String exposition = actuator.get("/actuator/prometheus").body();
		assertThat(exposition).contains("responder_connections_accepted_total", "http_server_requests_seconds");
		Promtool.Result check = Promtool.runWithInput(exposition, "check", "metrics");
		assertThat(check.output()).as("promtool check metrics").isEmpty();
		assertThat(check.exitCode()).isZero();
	}

}
