package io.tcpresponder.security;

import java.net.http.HttpResponse;
import java.util.stream.Stream;

import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restart and the health details need an operator's credentials; reads are open, and credentials sent to an open
 * endpoint are never checked.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
@Import(PasswordChecks.class)
class ManagementSecurityIntegrationTests {

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	@Autowired
	private PasswordChecks passwordChecks;

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
	void restartWithWrongCredentialsIsCheckedAndUnauthorized() {
		long restarts = restartsSucceeded();
		int checks = this.passwordChecks.count();
		Actuator wrong = this.anonymous.withBasicAuth(this.security.getUser().getName(), "not-the-password");
		assertThat(wrong.post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(401);
		assertThat(this.passwordChecks.count()).isEqualTo(checks + 1);
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

	/** The paths an anonymous caller may read. */
	static Stream<String> openReads() {
		return Stream.of("/actuator", "/actuator/responder", "/actuator/prometheus", "/actuator/health",
				"/actuator/health/liveness", "/actuator/health/readiness", "/actuator/info", "/actuator/metrics",
				"/actuator/metrics/responder.connections.accepted");
	}

	@ParameterizedTest
	@MethodSource("openReads")
	void readsAreOpenToAnonymousCallers(String path) {
		assertThat(this.anonymous.get(path).statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@MethodSource("openReads")
	void headFollowsGet(String path) {
		assertThat(this.anonymous.head(path).statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health/liveness", "/actuator/health/readiness", "/actuator/health",
			"/actuator/responder", "/actuator/prometheus" })
	void credentialsSentToAnOpenEndpointAreNotChecked(String path) {
		int checks = this.passwordChecks.count();
		assertThat(this.anonymous.withBasicAuth("nobody", "x").get(path).statusCode()).isEqualTo(200);
		assertThat(this.anonymous.withBasicAuth(this.security.getUser().getName(), "not-the-password")
			.get(path)
			.statusCode()).isEqualTo(200);
		assertThat(this.anonymous.withBasicAuth("nobody", "x").head(path).statusCode()).isEqualTo(200);
		assertThat(this.passwordChecks.count()).isEqualTo(checks);
	}

	@Test
	void anonymousHealthShowsStatusesOnly() {
		HttpResponse<String> response = this.anonymous.get("/actuator/health");
		JsonNode health = Actuator.json(response);
		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.at("/components/responder/status").asString()).isEqualTo("UP");
		assertThat(health.at("/components/diskSpace/status").asString()).isEqualTo("UP");
		health.get("components")
			.properties()
			.forEach((component) -> assertThat(component.getValue().propertyNames()).as(component.getKey())
				.containsExactly("status"));
		assertThat(response.body()).doesNotContain("\"free\"", "\"path\"", "\"port\"", "LISTENING");
		assertThat(this.anonymous.get("/actuator/health/responder").body()).isEqualTo("{\"status\":\"UP\"}");
	}

	@Test
	void healthDetailsNeedTheOperatorsCredentials() {
		assertThat(this.anonymous.get("/actuator/health/details").statusCode()).isEqualTo(401);
		assertThat(this.anonymous.get("/actuator/health/details/responder").statusCode()).isEqualTo(401);
		assertThat(this.anonymous.head("/actuator/health/details").statusCode()).isEqualTo(401);
		assertThat(this.anonymous.withBasicAuth("nobody", "x").get("/actuator/health/details").statusCode())
			.isEqualTo(401);
		Actuator operator = this.anonymous.asOperator(this.security);
		JsonNode details = Actuator.json(operator.get("/actuator/health/details"));
		assertThat(details.at("/components/responder/details/state").asString()).isEqualTo("LISTENING");
		assertThat(details.at("/components/responder/details/port").asInt())
			.isEqualTo(this.anonymous.responder().get("port").asInt());
		assertThat(details.at("/components/diskSpace/details/free").asLong()).isPositive();
		assertThat(Actuator.json(operator.get("/actuator/health/details/responder")).at("/details/state").asString())
			.isEqualTo("LISTENING");
	}

	private long restartsSucceeded() {
		return this.anonymous.responder().at("/restarts/succeeded").asLong();
	}

}
