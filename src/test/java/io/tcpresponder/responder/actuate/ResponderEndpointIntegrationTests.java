package io.tcpresponder.responder.actuate;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.tcpresponder.kernel.Sysctl;
import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.KernelSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The running service over its real HTTP endpoints, with real TCP clients.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class ResponderEndpointIntegrationTests {

	/**
	 * Bounds a wait for counts to show: a failure, not a speed claim (on a busy host with a large TCP table, one GET
	 * and one scrape may take seconds).
	 */
	private static final Duration WAIT = Duration.ofSeconds(60);

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	private Actuator actuator;

	private int port;

	private JsonNode before;

	@BeforeEach
	void listening() {
		this.actuator = new Actuator(this.httpPort).asOperator(this.security);
		this.before = this.actuator.responder();
		assertThat(this.before.get("state").asString()).isEqualTo("LISTENING");
		this.port = this.before.get("port").asInt();
	}

	/**
	 * Puts the listener back as the test found it, had the test changed it and even if it failed: the context, and
	 * so the listener, is shared with the other test classes of the same configuration.
	 */
	@AfterEach
	void restoreTheListener() {
		JsonNode after = this.actuator.responder();
		String[] settings = { "port", "backlog", "reuseAddress", "reusePort", "ipv6Only", "acceptors" };
		boolean changed = !"LISTENING".equals(after.get("state").asString());
		for (String setting : settings) {
			changed |= !after.get(setting).equals(this.before.get(setting));
		}
		if (changed) {
			String body = java.util.Arrays.stream(settings)
				.map((setting) -> "\"" + setting + "\": " + this.before.get(setting))
				.collect(java.util.stream.Collectors.joining(", ", "{", "}"));
			assertThat(this.actuator.post("/actuator/responder/restart", body).statusCode()).as(body).isEqualTo(200);
		}
	}

	@Test
	void limitsChangeInARestartBodyCheckedAsTheConfigurationIs() {
		JsonNode limits = this.before.get("limits");
		assertThat(limits.get("maxConnections").asInt()).isPositive();
		try {
			HttpResponse<String> changed = this.actuator.post("/actuator/responder/restart",
					"{\"maxConnectionsPerClient\": 3, \"ipv6Prefix\": 56}");
			assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
			assertThat(Actuator.json(changed).get("limits").get("maxConnectionsPerClient").asInt()).isEqualTo(3);
			assertThat(this.actuator.responder().at("/limits/ipv6Prefix").asInt()).isEqualTo(56);
			for (String bad : new String[] { "{\"maxConnections\": 0}", "{\"maxConnectionsPerClient\": -1}",
					"{\"ipv4Prefix\": 33}", "{\"maxConnections\": \"10\"}" }) {
				HttpResponse<String> refused = this.actuator.post("/actuator/responder/restart", bad);
				assertThat(refused.statusCode()).as(bad).isEqualTo(400);
				assertThat(Actuator.json(refused).get("field").asString()).as(bad)
					.isEqualTo(bad.substring(2, bad.indexOf('"', 2)));
			}
			assertThat(this.actuator.responder().at("/limits/maxConnectionsPerClient").asInt()).isEqualTo(3);
		}
		finally {
			assertThat(this.actuator.post("/actuator/responder/restart", "{\"maxConnectionsPerClient\": "
					+ limits.get("maxConnectionsPerClient") + ", \"ipv6Prefix\": " + limits.get("ipv6Prefix") + "}")
				.statusCode()).isEqualTo(200);
		}
	}

	/**
	 * The PROXY protocol changes in a restart body, checked as the configuration is; the GET says the setting and
	 * counts the headers, and a connection then needs one.
	 */
	@Test
	void theProxyProtocolChangesInARestartBody() throws IOException {
		JsonNode before = this.before.get("proxyProtocol");
		assertThat(before.get("enabled").asBoolean()).isFalse();
		assertThat(names(before.get("headers"))).containsExactlyInAnyOrder("v1", "v2", "local", "invalid", "timeout",
				"untrustedWithoutHeader");
		try {
			HttpResponse<String> changed = this.actuator.post("/actuator/responder/restart",
					"{\"proxyProtocol\": true, \"trustedProxies\": [\"127.0.0.0/8\", \"::1\"], \"headerTimeout\": \"2s\"}");
			assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
			JsonNode setting = Actuator.json(changed).get("proxyProtocol");
			assertThat(setting.get("enabled").asBoolean()).isTrue();
			assertThat(setting.get("trustedProxies").valueStream().map(JsonNode::asString))
				.containsExactly("127.0.0.0/8", "::1/128");
			assertThat(Duration.parse(setting.get("headerTimeout").asString())).isEqualTo(Duration.ofSeconds(2));
			try (Socket client = Clients.connect(this.port)) {
				client.getOutputStream().write("PROXY TCP4 192.0.2.1 198.51.100.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII));
				assertThat(Clients.readToEnd(client)).isEqualTo(LINE);
			}
			assertThat(this.actuator.responder().at("/proxyProtocol/headers/v1").asLong()).isEqualTo(1);
			for (String bad : new String[] { "{\"trustedProxies\": [\"proxy.example\"]}",
					"{\"trustedProxies\": [\"10.0.0.0/33\"]}", "{\"headerTimeout\": \"0s\"}",
					"{\"headerTimeout\": \"soon\"}", "{\"headerTimeout\": 3}", "{\"proxyProtocol\": \"yes\"}" }) {
				HttpResponse<String> refused = this.actuator.post("/actuator/responder/restart", bad);
				assertThat(refused.statusCode()).as(bad).isEqualTo(400);
				assertThat(Actuator.json(refused).get("field").asString()).as(bad)
					.isEqualTo(bad.substring(2, bad.indexOf('"', 2)));
			}
			assertThat(this.actuator.responder().at("/proxyProtocol/enabled").asBoolean()).isTrue();
		}
		finally {
			assertThat(this.actuator.post("/actuator/responder/restart",
					"{\"proxyProtocol\": false, \"trustedProxies\": [], \"headerTimeout\": \"3s\"}").statusCode())
				.isEqualTo(200);
		}
		assertThat(Clients.fetch(this.port)).isEqualTo(LINE);
	}

	@Test
	void describesTheListener() {
		JsonNode responder = this.actuator.responder();
		assertThat(responder.get("address").asString()).isEqualTo("::");
		assertThat(responder.get("listeners")).singleElement().satisfies((listener) -> {
			assertThat(listener.get("address").asString()).isEqualTo("::");
			assertThat(listener.get("port").asInt()).isEqualTo(this.port);
			assertThat(listener.get("state").asString()).isEqualTo("LISTENING");
			assertThat(listener.get("since")).isEqualTo(responder.get("since"));
		});
		assertThat(this.port).isPositive();
		assertThat(responder.get("reuseAddress").asBoolean()).isTrue();
		assertThat(responder.get("ipv6Only").asBoolean()).isFalse();
		assertThat(responder.get("backlog").asInt()).isEqualTo(511);
		assertThat(Instant.parse(responder.get("since").asString())).isBefore(Instant.now());
		assertThat(responder.has("lastError")).isTrue();
		assertThat(responder.get("lastError").isNull()).isTrue();
		assertThat(names(responder.get("connections"))).containsExactlyInAnyOrder("accepted", "active", "completed",
				"failed", "refused");
		assertThat(names(responder.get("limits"))).containsExactlyInAnyOrder("maxConnections",
				"maxConnectionsPerClient", "ipv4Prefix", "ipv6Prefix", "held", "clients", "topClients");
		assertThat(names(responder.get("restarts"))).containsExactlyInAnyOrder("succeeded", "failed", "checked");
		assertThat(Clients.fetch(this.port)).isEqualTo(LINE);
	}

	@Test
	void countsFollowTheClients() {
		long accepted = this.actuator.responder().at("/connections/accepted").asLong();
		long completed = this.actuator.responder().at("/connections/completed").asLong();
		for (int i = 0; i < 25; i++) {
			assertThat(Clients.fetch(this.port)).isEqualTo(LINE);
		}
		await().atMost(WAIT).untilAsserted(() -> {
			JsonNode connections = this.actuator.responder().get("connections");
			assertThat(connections.get("accepted").asLong()).isEqualTo(accepted + 25);
			assertThat(connections.get("completed").asLong()).isEqualTo(completed + 25);
			assertThat(connections.get("accepted").asLong()).isEqualTo(connections.get("completed").asLong()
					+ connections.get("failed").asLong() + connections.get("active").asLong());
		});
	}

	@Test
	void aRestartSetsTheAcceptorsWithinTheirBounds() {
		assertThat(this.actuator.responder().get("acceptors").asInt())
			.isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
		HttpResponse<String> response = this.actuator.post("/actuator/responder/restart", "{\"acceptors\": 3}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(Actuator.json(response).get("acceptors").asInt()).isEqualTo(3);
		for (int i = 0; i < 10; i++) {
			assertThat(Clients.fetch(this.port)).isEqualTo(LINE);
		}
		HttpResponse<String> tooMany = this.actuator.post("/actuator/responder/restart", "{\"acceptors\": 65}");
		assertThat(tooMany.statusCode()).isEqualTo(400);
		assertThat(tooMany.body()).contains("acceptors");
		assertThat(this.actuator.responder().get("acceptors").asInt()).as("kept").isEqualTo(3);
		assertThat(this.actuator.responder().get("state").asString()).isEqualTo("LISTENING");
	}

	@Test
	void restartRebindsWithTheChangesAskedForAndKeepsThem() {
		JsonNode before = this.actuator.responder();
		HttpResponse<String> response = this.actuator.post("/actuator/responder/restart", "{\"backlog\": 64}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode after = Actuator.json(response);
		assertThat(after.get("state").asString()).isEqualTo("LISTENING");
		assertThat(after.get("backlog").asInt()).isEqualTo(64);
		assertThat(after.get("port").asInt()).isEqualTo(this.port);
		assertThat(after.at("/restarts/succeeded").asLong()).isEqualTo(before.at("/restarts/succeeded").asLong() + 1);
		assertThat(after.at("/connections/accepted").asLong())
			.isGreaterThanOrEqualTo(before.at("/connections/accepted").asLong());
		assertThat(this.actuator.responder().get("backlog").asInt()).isEqualTo(64);
		assertThat(this.actuator.post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(200);
		assertThat(this.actuator.responder().get("backlog").asInt()).as("kept for later restarts").isEqualTo(64);
		assertThat(Clients.fetch(this.port)).isEqualTo(LINE);
	}

	/**
	 * On the native transport (the default on Linux) a restart sets IPV6_V6ONLY on the {@code ::} listener: it then
	 * takes IPv6 clients only, and the GET shows the option.
	 */
	@Test
	void aRestartWithIpv6OnlyListensOnIpv6OnlyAndTheGetShowsIt() throws IOException {
		Assumptions.assumeTrue("native".equals(this.before.get("transport").asString()), "the native transport only");
		Assumptions.assumeTrue(NetworkInterface.getByInetAddress(InetAddress.ofLiteral("::1")) != null,
				"no IPv6 on loopback");
		HttpResponse<String> response = this.actuator.post("/actuator/responder/restart", "{\"ipv6Only\": true}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(Actuator.json(response).get("ipv6Only").asBoolean()).isTrue();
		assertThat(this.actuator.responder().get("ipv6Only").asBoolean()).isTrue();
		assertThat(Clients.fetch(InetAddress.ofLiteral("::1"), this.port)).isEqualTo(LINE);
		assertThatExceptionOfType(ConnectException.class).as("no IPv4 client on an IPv6-only ::")
			.isThrownBy(() -> Clients.connect(InetAddress.ofLiteral("127.0.0.1"), this.port).close());
	}

	/**
	 * Port 0 in a restart, as at the start, asks the kernel for a free port; the answer names the port it chose.
	 */
	@Test
	void aRestartOnPortZeroListensOnAFreePortTheAnswerNames() {
		HttpResponse<String> response = this.actuator.post("/actuator/responder/restart", "{\"port\": 0}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode after = Actuator.json(response);
		int chosen = after.get("port").asInt();
		assertThat(chosen).isPositive().isNotEqualTo(this.port);
		assertThat(after.at("/listeners/0/port").asInt()).isEqualTo(chosen);
		assertThat(Clients.fetch(chosen)).isEqualTo(LINE);
		assertThat(this.actuator.responder().get("port").asInt()).isEqualTo(chosen);
	}

	@Test
	void handoverNeedsReusePortAndChangesNothingWithoutIt() {
		JsonNode before = this.actuator.responder();
		assertThat(before.get("reusePort").asBoolean()).isFalse();
		HttpResponse<String> response = this.actuator.post("/actuator/responder/restart", "{\"mode\": \"handover\"}");
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = Actuator.json(response);
		assertThat(problem.get("title").asString()).isEqualTo("Conflict");
		assertThat(problem.get("status").asInt()).isEqualTo(409);
		assertThat(problem.get("field").asString()).isEqualTo("mode");
		assertThat(problem.get("detail").asString()).contains("reusePort");
		assertThat(this.actuator.responder().get("restarts")).isEqualTo(before.get("restarts"));
		assertThat(this.actuator.responder().at("/tcp/migrateRequests").isBoolean()).isTrue();
	}

	@Test
	void anEmptyBodyRestartsWithTheCurrentSettings() {
		JsonNode before = this.actuator.responder();
		HttpResponse<String> response = this.actuator.post("/actuator/responder/restart", "");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode after = Actuator.json(response);
		for (String setting : new String[] { "port", "reuseAddress", "reusePort", "ipv6Only", "backlog", "acceptors" }) {
			assertThat(after.get(setting)).as(setting).isEqualTo(before.get(setting));
		}
		assertThat(after.at("/restarts/succeeded").asLong()).isEqualTo(before.at("/restarts/succeeded").asLong() + 1);
	}

	@Test
	void restartOnAPortInUseAnswersConflictAndTheServiceRecovers() throws IOException {
		try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			HttpResponse<String> response = this.actuator.post("/actuator/responder/restart",
					"{\"port\": " + holder.getLocalPort() + "}");
			assertThat(response.statusCode()).isEqualTo(409);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = Actuator.json(response);
			assertThat(problem.get("title").asString()).isEqualTo("Conflict");
			assertThat(problem.get("detail").asString()).startsWith("The new listener on :: did not bind port "
					+ holder.getLocalPort() + ": Address already in use (EADDRINUSE), held by 1 listening socket");
			assertThat(response.headers().firstValue("Retry-After")).as("no time is known for a listener to go")
				.isEmpty();
			assertThat(problem.at("/blockers/listeners").asLong()).isEqualTo(1);
			assertThat(problem.at("/blockers/holders/0/pid").asLong()).isEqualTo(ProcessHandle.current().pid());
			assertThat(problem.get("freeAt").isNull()).isTrue();
			assertThat(problem.get("reuseAddressWouldHelp").asBoolean()).isFalse();
			JsonNode failed = problem.get("responder");
			assertThat(failed.get("state").asString()).isEqualTo("FAILED");
			assertThat(failed.get("port").asInt()).isEqualTo(holder.getLocalPort());
			assertThat(failed.at("/lastError/code").asString()).isEqualTo("EADDRINUSE");
			assertThat(failed.at("/lastError/message").asString()).isEqualTo("Address already in use");
			HttpResponse<String> readiness = this.actuator.get("/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat(this.actuator.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(this.actuator.get("/actuator/health/details/responder").body()).contains("\"DOWN\"",
					"EADDRINUSE");
			assertThat(this.actuator.get("/actuator/prometheus").body()).contains("responder_listening{")
				.containsPattern("(?m)^responder_listening\\{[^}]*\\} 0\\.0$");
		}
		HttpResponse<String> recovered = this.actuator.post("/actuator/responder/restart",
				"{\"port\": " + this.port + "}");
		assertThat(recovered.statusCode()).isEqualTo(200);
		assertThat(Actuator.json(recovered).get("lastError").isNull()).isTrue();
		assertThat(this.actuator.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(Clients.fetch(this.port)).isEqualTo(LINE);
	}

	@Test
	void unknownActionIsNotFound() {
		assertThat(this.actuator.post("/actuator/responder/stop", "{}").statusCode()).isEqualTo(404);
	}

	@Test
	void healthHasTheResponderAndProbeGroups() {
		HttpResponse<String> health = this.actuator.get("/actuator/health/details");
		assertThat(health.statusCode()).isEqualTo(200);
		JsonNode body = Actuator.json(health);
		assertThat(body.at("/components/responder/status").asString()).isEqualTo("UP");
		assertThat(body.at("/components/responder/details/state").asString()).isEqualTo("LISTENING");
		JsonNode readiness = Actuator.json(this.actuator.get("/actuator/health/readiness"));
		assertThat(names(readiness.get("components"))).contains("responder", "readinessState");
		assertThat(this.actuator.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
	}

	@Test
	void prometheusExportsTheResponderMeters() {
		assertThat(Clients.fetch(this.port)).isEqualTo(LINE);
		String scrape = this.actuator.get("/actuator/prometheus").body();
		assertThat(scrape).contains("# HELP responder_connections_accepted_total ",
				"# TYPE responder_connections_accepted_total counter", "# TYPE responder_connections_completed_total counter",
				"# TYPE responder_connections_active gauge", "# TYPE responder_written_bytes_total counter",
				"# TYPE responder_listening gauge", "# TYPE responder_restarts_total counter")
			.containsPattern("responder_connections_failed_total\\{[^}]*reason=\"timeout\"")
			.containsPattern("responder_restarts_total\\{[^}]*outcome=\"succeeded\"")
			.containsPattern("(?m)^responder_listening\\{[^}]*\\} 1\\.0$");
		await().atMost(WAIT).untilAsserted(() -> {
			JsonNode connections = this.actuator.responder().get("connections");
			String text = this.actuator.get("/actuator/prometheus").body();
			assertThat(text).containsPattern("(?m)^responder_connections_accepted_total\\{[^}]*\\} "
					+ connections.get("accepted").asLong() + "\\.0$");
		});
	}

	@Test
	void showsTheKernelsViewOfThePort() {
		KernelSockets.assumeAvailable();
		KernelSockets.TimeWaitWatch timeWait = KernelSockets.watchTimeWait();
		// listen(2) takes the smaller of the backlog (511 by default) and net.core.somaxconn
		long acceptQueueLimit = Math.min(511, Sysctl.read("net.core.somaxconn").orElseThrow());
		for (int i = 0; i < 10; i++) {
			assertThat(Clients.fetch(this.port)).isEqualTo(LINE);
		}
		timeWait.await(() -> KernelSockets.count("time-wait", this.port), 10);
		await().atMost(WAIT).untilAsserted(() -> {
			JsonNode tcp = this.actuator.responder().get("tcp");
			assertThat(tcp.get("available").asBoolean()).isTrue();
			assertThat(names(tcp.get("states"))).containsExactlyInAnyOrder("LISTEN", "SYN_RECV", "ESTABLISHED",
					"FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE_WAIT", "LAST_ACK", "CLOSING");
			assertThat(tcp.at("/states/LISTEN").asLong()).isEqualTo(1);
			assertThat(tcp.at("/states/TIME_WAIT").asLong()).isGreaterThanOrEqualTo(10);
			assertThat(tcp.get("source").asString()).isEqualTo("sock_diag");
			assertThat(tcp.at("/acceptQueue/depth").asLong()).isZero();
			assertThat(tcp.at("/acceptQueue/limit").asLong()).isEqualTo(acceptQueueLimit);
			JsonNode listener = tcp.at("/listeners/0");
			assertThat(tcp.get("listeners")).hasSize(1);
			assertThat(listener.get("address").asString()).isEqualTo("::");
			assertThat(listener.get("inode").asLong()).isPositive();
			assertThat(listener.at("/acceptQueue/limit").asLong()).isEqualTo(acceptQueueLimit);
			assertThat(listener.get("drops").asLong()).isZero();
			assertThat(tcp.get("hostListenOverflows").asLong()).isNotNegative();
			assertThat(tcp.get("hostListenDrops").asLong())
				.isGreaterThanOrEqualTo(tcp.get("hostListenOverflows").asLong());
		});
		String scrape = this.actuator.get("/actuator/prometheus").body();
		assertThat(scrape).containsPattern("(?m)^responder_tcp_sockets\\{[^}]*state=\"time_wait\"[^}]*\\} [1-9]")
			.containsPattern("(?m)^responder_tcp_accept_queue_limit\\{[^}]*address=\"::\"[^}]*\\} "
					+ acceptQueueLimit + "\\.0$")
			.containsPattern("(?m)^responder_tcp_listen_drops_total\\{[^}]*address=\"::\"[^}]*\\} 0\\.0$")
			.contains("# TYPE responder_tcp_host_listen_overflows_total counter");
	}

	@Test
	void exposesOnlyTheOperatorsEndpoints() {
		JsonNode links = Actuator.json(this.actuator.get("/actuator")).get("_links");
		assertThat(names(links)).allMatch((name) -> Set
			.of("self", "health", "health-path", "info", "responder", "responder-action", "metrics",
					"metrics-requiredMetricName", "prometheus")
			.contains(name), "one of health, info, responder, metrics, prometheus")
			.contains("responder", "prometheus");
		assertThat(this.actuator.get("/actuator/env").statusCode()).isEqualTo(404);
	}

	private static Set<String> names(JsonNode node) {
		return Set.copyOf(node.propertyNames());
	}

}
