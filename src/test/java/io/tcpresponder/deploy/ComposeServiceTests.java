package io.tcpresponder.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.LocalPorts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The responder service of {@code docker-compose.yml}, run by {@code podman-compose} on the image that
 * {@code deploy/local-image.sh} builds: ports published on the host's loopback, the memory limit, the healthcheck's
 * own command, and a restart with the password passed through from the shell. Prometheus' and Grafana's services
 * need their images from a registry and are not started here.
 */
class ComposeServiceTests {

	private static final Path PODMAN_COMPOSE = Path.of("/usr/bin/podman-compose");

	private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

	@TempDir
	Path workDir;

	@Test
	void theResponderServiceRunsOnTheLocalImage() throws IOException {
		Podman.assumeInstalled();
		if (!Files.isExecutable(PODMAN_COMPOSE) && System.getenv("CI") != null) {
			throw new AssertionError("CI installs podman-compose (.ci/run), but it is not there");
		}
		Assumptions.assumeTrue(Files.isExecutable(PODMAN_COMPOSE),
				"podman-compose is not installed (Debian: apt-get install podman-compose)");
		LocalImage.build();
		String project = "tcp-responder-compose-test";
		int tcpPort = LocalPorts.free();
		int httpPort = LocalPorts.free();
		String password = UUID.randomUUID().toString();
		Map<String, String> environment = Map.of("RESPONDER_IMAGE", LocalImage.NAME + ":latest",
				"RESPONDER_TCP_HOST_PORT", String.valueOf(tcpPort), "RESPONDER_HTTP_HOST_PORT",
				String.valueOf(httpPort), "SPRING_SECURITY_USER_PASSWORD", password,
				// the file requires it of its Grafana service, which is not started here
				"GRAFANA_ADMIN_PASSWORD", password);
		try {
			compose(environment, project, "up", "-d", "responder");
			String container = project + "_responder_1";
			Actuator actuator = new Actuator(httpPort);
			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
				try {
					return actuator.get("/actuator/health/readiness").statusCode() == 200;
				}
				catch (RuntimeException ex) {
					return false;
				}
			});
			assertThat(Clients.fetch(LOOPBACK, tcpPort)).isEqualTo(Clients.LINE);
			Podman.Result health = Podman.tryRun(Duration.ofSeconds(60), "healthcheck", "run", container);
			assertThat(health.exitCode()).as("the compose file's healthcheck in the image: %s", health.output())
				.isZero();
			assertThat(Podman.run("inspect", "--format", "{{.HostConfig.Memory}} {{.Config.User}}", container))
				.isEqualTo((512L * 1024 * 1024) + " 65532:65532");
			assertThat(actuator.post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(401);
			assertThat(actuator.withBasicAuth("operator", password).post("/actuator/responder/restart", "{}")
				.statusCode()).isEqualTo(200);
			assertThat(Clients.fetch(LOOPBACK, tcpPort)).isEqualTo(Clients.LINE);
		}
		finally {
			compose(environment, project, "down");
			Podman.tryRun(Duration.ofSeconds(60), "network", "rm", project + "_default");
		}
	}

	private void compose(Map<String, String> environment, String project, String... arguments) {
		List<String> command = new ArrayList<>(List.of(PODMAN_COMPOSE.toString(), "-p", project, "-f",
				Repository.COMPOSE.toString()));
		command.addAll(List.of(arguments));
		Path log = this.workDir.resolve("podman-compose.log");
		Podman.Result result = Podman.exec(command, environment, Duration.ofMinutes(3), log);
		assertThat(result.exitCode()).as("%s:%n%s", command, result.output()).isZero();
	}

}
