package io.tcpresponder.responder;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.AfterEach;
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

/**
 * The service listening on two local addresses of one port, over its real HTTP endpoints, with real TCP clients and
 * the real Prometheus output. Linux's loopback answers all of 127.0.0.0/8.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "responder.bind-addresses=127.0.0.1,127.0.0.3" })
class BindAddressesIntegrationTests {

	private static final String CONFIGURED = "{\"bindAddresses\": [\"127.0.0.1\", \"127.0.0.3\"]}";

	private static final InetAddress FIRST = InetAddress.ofLiteral("127.0.0.1");

	private static final InetAddress SECOND = InetAddress.ofLiteral("127.0.0.2");

	private static final InetAddress THIRD = InetAddress.ofLiteral("127.0.0.3");

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	private Actuator actuator;

	private int port;

	@BeforeEach
	void listening() {
		this.actuator = new Actuator(this.httpPort).asOperator(this.security);
		this.port = this.actuator.responder().get("port").asInt();
	}

	/**
	 * Puts the configured addresses back, had the test changed them: the context is shared.
	 */
	@AfterEach
	void restoreTheAddresses() {
		JsonNode after = this.actuator.responder();
		if (!"LISTENING".equals(after.get("state").asString())
				|| !addresses(after).equals(List.of("127.0.0.1", "127.0.0.3"))) {
			assertThat(this.actuator.post("/actuator/responder/restart", CONFIGURED).statusCode()).isEqualTo(200);
		}
	}

	@Test
	void everyAddressHasAListenerOnThePortAndServes() {
		JsonNode responder = this.actuator.responder();
		assertThat(responder.get("state").asString()).isEqualTo("LISTENING");
		assertThat(responder.get("address").asString()).isEqualTo("127.0.0.1, 127.0.0.3");
		assertThat(addresses(responder)).containsExactly("127.0.0.1", "127.0.0.3");
		for (JsonNode listener : responder.get("listeners")) {
			assertThat(listener.get("port").asInt()).isEqualTo(this.port);
			assertThat(listener.get("state").asString()).isEqualTo("LISTENING");
			assertThat(Instant.parse(listener.get("since").asString())).isBefore(Instant.now());
			assertThat(listener.has("lastError")).isTrue();
			assertThat(listener.get("lastError").isNull()).isTrue();
		}
		assertThat(Clients.fetch(FIRST, this.port)).isEqualTo(LINE);
		assertThat(Clients.fetch(THIRD, this.port)).isEqualTo(LINE);
		assertThatExceptionOfType(ConnectException.class).as("no listener on 127.0.0.2")
			.isThrownBy(() -> Clients.connect(SECOND, this.port).close());
		String scrape = this.actuator.get("/actuator/prometheus").body();
		assertThat(scrape).containsPattern(listening("127.0.0.1", 1)).containsPattern(listening("127.0.0.3", 1));
		assertThat(this.actuator.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	@Test
	void anAddressHeldByAnotherSocketIsReportedFailedAndTheServiceIsNotReadyUntilItBinds() throws IOException {
		try (ServerSocket holder = new ServerSocket()) {
			holder.bind(new InetSocketAddress(SECOND, this.port));
			HttpResponse<String> response = this.actuator.post("/actuator/responder/restart",
					"{\"bindAddresses\": [\"127.0.0.1\", \"127.0.0.2\"]}");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
			assertThat(Actuator.json(response).get("detail").asString()).startsWith("The new listener on 127.0.0.2 "
					+ "did not bind port " + this.port + ": Address already in use (EADDRINUSE), held by 1 listening socket");
			JsonNode partly = this.actuator.responder();
			assertThat(partly.get("state").asString()).isEqualTo("PARTIALLY_LISTENING");
			assertThat(addresses(partly)).containsExactly("127.0.0.1", "127.0.0.2");
			JsonNode failed = partly.at("/listeners/1");
			assertThat(failed.get("state").asString()).isEqualTo("FAILED");
			assertThat(failed.get("port").asInt()).isEqualTo(this.port);
			assertThat(failed.at("/lastError/code").asString()).isEqualTo("EADDRINUSE");
			assertThat(failed.at("/lastError/errno").asInt()).isEqualTo(98);
			assertThat(failed.at("/lastError/call").asString()).isEqualTo("bind");
			assertThat(failed.at("/lastError/message").asString()).isEqualTo("Address already in use");
			assertThat(partly.get("lastError")).isEqualTo(failed.get("lastError"));
			assertThat(partly.at("/listeners/0/state").asString()).isEqualTo("LISTENING");
			assertThat(Clients.fetch(FIRST, this.port)).as("the other address serves").isEqualTo(LINE);
			assertThat(this.actuator.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
			assertThat(this.actuator.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(this.actuator.get("/actuator/health/details/responder").body()).contains("\"DOWN\"",
					"PARTIALLY_LISTENING", "EADDRINUSE");
			String scrape = this.actuator.get("/actuator/prometheus").body();
			assertThat(scrape).containsPattern(listening("127.0.0.1", 1))
				.containsPattern(listening("127.0.0.2", 0))
				.as("the rows follow the addresses")
				.doesNotContain("address=\"127.0.0.3\"");
		}
		HttpResponse<String> recovered = this.actuator.post("/actuator/responder/restart", "{}");
		assertThat(recovered.statusCode()).as(recovered.body()).isEqualTo(200);
		JsonNode responder = Actuator.json(recovered);
		assertThat(responder.get("state").asString()).isEqualTo("LISTENING");
		assertThat(responder.get("lastError").isNull()).isTrue();
		assertThat(this.actuator.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(Clients.fetch(SECOND, this.port)).isEqualTo(LINE);
		assertThat(this.actuator.get("/actuator/prometheus").body()).containsPattern(listening("127.0.0.2", 1));
	}

	@Test
	void aRestartBodyChangesTheAddresses() throws IOException {
		HttpResponse<String> response = this.actuator.post("/actuator/responder/restart",
				"{\"bindAddresses\": [\"127.0.0.2\"]}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(addresses(Actuator.json(response))).containsExactly("127.0.0.2");
		assertThat(addresses(this.actuator.responder())).containsExactly("127.0.0.2");
		assertThat(Clients.fetch(SECOND, this.port)).isEqualTo(LINE);
		assertThatExceptionOfType(ConnectException.class).as("127.0.0.1 closed")
			.isThrownBy(() -> Clients.connect(FIRST, this.port).close());
		HttpResponse<String> every = this.actuator.post("/actuator/responder/restart", "{\"bindAddresses\": []}");
		assertThat(every.statusCode()).as(every.body()).isEqualTo(200);
		assertThat(addresses(Actuator.json(every))).containsExactly("::");
		assertThat(Clients.fetch(FIRST, this.port)).isEqualTo(LINE);
		assertThat(Clients.fetch(THIRD, this.port)).isEqualTo(LINE);
		assertThat(this.actuator.get("/actuator/prometheus").body()).containsPattern(listening("::", 1));
	}

	private static List<String> addresses(JsonNode responder) {
		return responder.get("listeners").valueStream().map((listener) -> listener.get("address").asString()).toList();
	}

	private static String listening(String address, int value) {
		return "(?m)^responder_listening\\{[^}]*address=\"" + address.replace(".", "\\.") + "\"[^}]*\\} " + value
				+ "\\.0$";
	}

}
