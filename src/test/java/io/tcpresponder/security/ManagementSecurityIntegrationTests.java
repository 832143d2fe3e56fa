package io.tcpresponder.security;

import java.net.http.HttpResponse;

import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restart needs an operator's credentials; reads are open.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class ManagementSecurityIntegrationTests {

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	private Actuator anonymous;

	@BeforeEach
	void client() {
		this.anonymous = new Actuator(this.httpPort);
	}

	@Test
	void restartWithoutCredentialsIsUnauthorized() {
		long restarts = restartsSucceeded();
		HttpResponse<String> response = this.anonymous.post("/actuator/responder/restart", "{}");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"tcp-responder\"");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(Actuator.json(response).get("detail").asString()).contains("credentials");
		assertThat(Actuator.json(response).get("instance").asString()).isEqualTo("/actuator/responder/restart");
		assertThat(restartsSucceeded()).isEqualTo(restarts);
	}

	@Test
	void restartWithWrongCredentialsIsUnauthorized() {
		long restarts = restartsSucceeded();
		Actuator wrong = this.anonymous.withBasicAuth(this.security.getUser().getName(), "not-the-password");
		assertThat(wrong.post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(401);
		assertThat(restartsSucceeded()).isEqualTo(restarts);
	}

	@Test
	void restartWithTheOperatorsCredentialsSucceeds() {
		long restarts = restartsSucceeded();
		HttpResponse<String> response = this.anonymous.asOperator(this.security)
			.post("/actuator/responder/restart", "{}");
		assertThat(response.statusCode()).as("not blocked by CSRF protection").isEqualTo(200);
		assertThat(restartsSucceeded()).isEqualTo(restarts + 1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator", "/actuator/responder", "/actuator/prometheus", "/actuator/health",
			"/actuator/health/liveness", "/actuator/health/readiness", "/actuator/info", "/actuator/metrics",
			"/actuator/metrics/responder.connections.accepted" })
	void readsAreOpenToAnonymousCallers(String path) {
		assertThat(this.anonymous.get(path).statusCode()).isEqualTo(200);
	}

	private long restartsSucceeded() {
		return this.anonymous.responder().at("/restarts/succeeded").asLong();
	}

}
