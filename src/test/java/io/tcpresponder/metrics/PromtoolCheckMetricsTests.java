package io.tcpresponder.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
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
		PrometheusTools.assumeInstalled(PrometheusTools.PROMTOOL);
		Actuator actuator = new Actuator(this.httpPort).asOperator(this.security);
		Clients.fetch(actuator.responder().get("port").asInt());
		actuator.post("/actuator/responder/restart", "{\"port\": 70000}");
		String exposition = actuator.get("/actuator/prometheus").body();
		assertThat(exposition).contains("responder_connections_accepted_total", "http_server_requests_seconds");
		Process promtool = new ProcessBuilder(PrometheusTools.PROMTOOL.toString(), "check", "metrics")
			.redirectErrorStream(true)
			.start();
		promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
		promtool.getOutputStream().close();
		String findings = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(findings).as("promtool check metrics").isEmpty();
		assertThat(promtool.exitValue()).isZero();
	}

}
