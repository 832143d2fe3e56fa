package io.tcpresponder.metrics;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.support.LocalPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus scrapes the running service, and its query API sees what the test did.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "spring.application.name=tcp-responder-scraped" })
class PrometheusScrapeIntegrationTests {

	/** Bounds a wait for Prometheus to see a change: a failure, not a speed claim. */
	private static final Duration WAIT = Duration.ofMinutes(2);

	@LocalServerPort
	private int httpPort;

	@TempDir
	private Path workDir;

	private Process prometheus;

	@AfterEach
	void stopPrometheus() throws InterruptedException {
		if (this.prometheus != null) {
			this.prometheus.destroy();
			if (!this.prometheus.waitFor(20, TimeUnit.SECONDS)) {
				this.prometheus.destroyForcibly();
			}
		}
	}

	@Test
	void prometheusSeesEveryConnectionTheTestMade() throws IOException {
		PrometheusTools.assumeInstalled();
		KernelSockets.assumeAvailable();
		Actuator service = new Actuator(this.httpPort);
		int port = service.responder().get("port").asInt();
		Actuator prometheus = startPrometheus();
		await().atMost(WAIT).untilAsserted(() -> assertThat(query(prometheus, "up{job=\"tcp-responder\"}")).isEqualTo("1"));
		KernelSockets.TimeWaitWatch timeWait = KernelSockets.watchTimeWait();
		for (int i = 0; i < 37; i++) {
			assertThat(Clients.fetch(port)).isEqualTo(Clients.LINE);
		}
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(query(prometheus, "responder_connections_accepted_total")).isEqualTo("37"));
		assertThat(query(prometheus, "responder_connections_completed_total")).isEqualTo("37");
		assertThat(query(prometheus, "responder_listening")).isEqualTo("1");
		timeWait.await(() -> KernelSockets.count("time-wait", port), 1);
		await().atMost(WAIT).untilAsserted(() -> assertThat(
				Long.parseLong(query(prometheus, "responder_tcp_sockets{state=\"time_wait\"}")))
			.as("TIME_WAIT sockets on the responder's port")
			.isPositive());
	}

	private Actuator startPrometheus() throws IOException {
		int webPort = LocalPorts.free();
		Path config = this.workDir.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 5s
				  scrape_timeout: 5s
				  evaluation_interval: 5s
				scrape_configs:
				  - job_name: tcp-responder
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(this.httpPort));
		this.prometheus = new ProcessBuilder(PrometheusTools.PROMETHEUS.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + this.workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + webPort)
			.redirectErrorStream(true)
			.redirectOutput(this.workDir.resolve("prometheus.log").toFile())
			.start();
		Actuator api = new Actuator(webPort);
		await().atMost(WAIT)
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(api.get("/-/ready").statusCode()).isEqualTo(200));
		return api;
	}

	/**
	 * Runs an instant query that has one sample, and answers its value.
	 */
	private static String query(Actuator prometheus, String promql) {
		JsonNode answer = Actuator.json(
				prometheus.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
		assertThat(answer.get("status").asString()).isEqualTo("success");
		JsonNode result = answer.at("/data/result");
		assertThat(result).as(promql).hasSize(1);
		return result.get(0).at("/value/1").asString();
	}

}
