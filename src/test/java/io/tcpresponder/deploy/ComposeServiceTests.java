package io.tcpresponder.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The responder service of {@code docker-compose.yml}, run by {@code podman-compose} on the image that
 * {@code deploy/local-image.sh} builds: its ports published on loopback, the memory limit, the user, the healthcheck's
 * own command, and a restart with the password passed through from the environment. Prometheus' and Grafana's services
 * need their images from a registry and are not started here.
 *
 * <p>
 * podman-compose puts the service on a bridge network, whatever the file asks, and the bridge's NAT turns on the
 * kernel's connection tracking for every connection of the network namespace: on the host's, its table fills at the
 * responder's rates and the kernel drops packets (seen: "nf_conntrack: table full, dropping packet", and every server's
 * rate fell from thousands of connections a second to tens). So the service runs in a network namespace of its own,
 * made for the test, and the test's clients reach it on that namespace's loopback.
 */
class ComposeServiceTests {

	private static final Path PODMAN_COMPOSE = Path.of("/usr/bin/podman-compose");

	private static final Duration TIMEOUT = Duration.ofMinutes(3);

	@TempDir
	Path workDir;

	@Test
	void theResponderServiceRunsOnTheLocalImage() {
		Podman.assumeInstalled();
		if (!Files.isExecutable(PODMAN_COMPOSE) && System.getenv("CI") != null) {
			throw new AssertionError("CI installs podman-compose (.ci/run), but it is not there");
		}
		Assumptions.assumeTrue(Files.isExecutable(PODMAN_COMPOSE),
				"podman-compose is not installed (Debian: apt-get install podman-compose)");
		LocalImage.build();
		String project = "tcp-responder-compose-test";
		String namespace = project + "-" + ProcessHandle.current().pid();
		int tcpPort = 9000;
		int httpPort = 8080;
		String password = UUID.randomUUID().toString();
		Map<String, String> environment = Map.of("RESPONDER_IMAGE", LocalImage.NAME + ":latest",
				"SPRING_SECURITY_USER_PASSWORD", password,
				// the file requires it of its Grafana service, which is not started here
				"GRAFANA_ADMIN_PASSWORD", password);
		run(List.of("ip", "netns", "add", namespace), Map.of());
		try {
			run(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up"), Map.of());
			inNamespace(namespace, environment, PODMAN_COMPOSE.toString(), "-p", project, "-f",
					Repository.COMPOSE.toString(), "up", "-d", "responder");
			String container = project + "_responder_1";
			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
				.until(() -> "200".equals(status(namespace, httpPort, "/actuator/health/readiness", "")));
			assertThat(inNamespace(namespace, Map.of(), "bash", "-c",
					"exec 3<>/dev/tcp/127.0.0.1/" + tcpPort + " && cat <&3")).isEqualTo(Clients.LINE);
			Podman.Result health = Podman.tryRun(Duration.ofSeconds(60), "healthcheck", "run", container);
			assertThat(health.exitCode()).as("the compose file's healthcheck in the image: %s", health.output())
				.isZero();
			assertThat(Podman.run("inspect", "--format",
					"{{.HostConfig.Memory}} {{.Config.User}} {{range $p, $b := .HostConfig.PortBindings}}{{$p}}={{(index $b 0).HostIP}} {{end}}",
					container))
				.isEqualTo((512L * 1024 * 1024) + " 65532:65532 8080/tcp=127.0.0.1 9000/tcp=127.0.0.1");
			assertThat(status(namespace, httpPort, "/actuator/responder/restart", "")).isEqualTo("401");
			assertThat(status(namespace, httpPort, "/actuator/responder/restart", "operator:" + password))
				.isEqualTo("200");
		}
		finally {
			inNamespaceQuietly(namespace, environment, PODMAN_COMPOSE.toString(), "-p", project, "-f",
					Repository.COMPOSE.toString(), "down");
			Podman.tryRun(Duration.ofSeconds(60), "network", "rm", project + "_default");
			run(List.of("ip", "netns", "delete", namespace), Map.of());
		}
	}

	/** The HTTP status of a GET, or of a POST with credentials where they are given, from inside the namespace. */
	private String status(String namespace, int port, String path, String credentials) {
		List<String> curl = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "10"));
		if (path.endsWith("/restart")) {
			curl.addAll(List.of("-X", "POST", "-H", "Content-Type: application/json", "-d", "{}"));
		}
		if (!credentials.isEmpty()) {
			curl.addAll(List.of("-u", credentials));
		}
		curl.add("http://127.0.0.1:" + port + path);
		Podman.Result result = exec(nsenter(namespace, curl), Map.of());
		return result.output().strip();
	}

	private String inNamespace(String namespace, Map<String, String> environment, String... command) {
		return run(nsenter(namespace, List.of(command)), environment);
	}

	private void inNamespaceQuietly(String namespace, Map<String, String> environment, String... command) {
		exec(nsenter(namespace, List.of(command)), environment);
	}

	/** The command in the namespace's network only: {@code ip netns exec} would also remount /sys, hiding cgroups. */
	private static List<String> nsenter(String namespace, List<String> command) {
		List<String> inNamespace = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + namespace));
		inNamespace.addAll(command);
		return inNamespace;
	}

	private String run(List<String> command, Map<String, String> environment) {
		Podman.Result result = exec(command, environment);
		assertThat(result.exitCode()).as("%s:%n%s", command, result.output()).isZero();
		return result.output();
	}

	private Podman.Result exec(List<String> command, Map<String, String> environment) {
		return Podman.exec(command, environment, TIMEOUT, this.workDir.resolve("command.log"));
	}

}
