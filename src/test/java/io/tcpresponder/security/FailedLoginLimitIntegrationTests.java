package io.tcpresponder.security;

import java.net.http.HttpResponse;

import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Past the limit of failed logins, an address gets 429 and no more checks, whatever the credentials; successful logins
 * do not count, and open endpoints are not concerned.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "responder.security.failed-logins.limit=3",
				"responder.security.failed-logins.period=1h" })
@Import(PasswordChecks.class)
class FailedLoginLimitIntegrationTests {

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	@Autowired
	private PasswordChecks passwordChecks;

	@Test
	void anAddressThatFailedTooOftenGetsTooManyRequestsAndNoMoreChecks() {
		Actuator anonymous = new Actuator(this.httpPort);
		Actuator operator = anonymous.asOperator(this.security);
		Actuator guessing = anonymous.withBasicAuth(this.security.getUser().getName(), "a-guess");
		for (int i = 0; i < 5; i++) {
			assertThat(operator.post("/actuator/responder/restart", "{}").statusCode()).as("success %d", i)
				.isEqualTo(200);
		}
		for (int i = 0; i < 3; i++) {
			assertThat(guessing.post("/actuator/responder/restart", "{}").statusCode()).as("failure %d", i)
				.isEqualTo(401);
		}
		long restarts = anonymous.responder().at("/restarts/succeeded").asLong();
		int checks = this.passwordChecks.count();
		HttpResponse<String> refused = guessing.post("/actuator/responder/restart", "{}");
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("3600");
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(Actuator.json(refused).get("detail").asString()).contains("Too many failed logins");
		assertThat(operator.post("/actuator/responder/restart", "{}").statusCode()).as("even the right password")
			.isEqualTo(429);
		assertThat(anonymous.withBasicAuth("nobody", "x").get("/actuator/health/details").statusCode())
			.isEqualTo(429);
		assertThat(this.passwordChecks.count()).as("no password checked past the limit").isEqualTo(checks);
		assertThat(anonymous.responder().at("/restarts/succeeded").asLong()).isEqualTo(restarts);
		assertThat(anonymous.post("/actuator/responder/restart", "{}").statusCode()).as("without credentials")
			.isEqualTo(401);
		assertThat(guessing.get("/actuator/health/liveness").statusCode()).as("open endpoints").isEqualTo(200);
		assertThat(guessing.get("/actuator/responder").statusCode()).isEqualTo(200);
	}

}
