package io.tcpresponder.security;

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
 * With anonymous reads turned off, only health stays open, and only there are credentials left unchecked.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "responder.security.anonymous-reads=false" })
@Import(PasswordChecks.class)
class AuthenticatedReadsIntegrationTests {

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	@Autowired
	private PasswordChecks passwordChecks;

	@Test
	void readsNeedCredentialsButProbesDoNot() {
		Actuator anonymous = new Actuator(this.httpPort);
		assertThat(anonymous.get("/actuator/responder").statusCode()).isEqualTo(401);
		assertThat(anonymous.head("/actuator/responder").statusCode()).isEqualTo(401);
		assertThat(anonymous.get("/actuator/prometheus").statusCode()).isEqualTo(401);
		assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(anonymous.head("/actuator/health/liveness").statusCode()).isEqualTo(200);
		Actuator operator = anonymous.asOperator(this.security);
		assertThat(operator.get("/actuator/responder").statusCode()).isEqualTo(200);
		assertThat(operator.head("/actuator/responder").statusCode()).isEqualTo(200);
	}

	@Test
	void credentialsAreCheckedForReadsButNotForProbes() {
		Actuator forged = new Actuator(this.httpPort).withBasicAuth("nobody", "x");
		int checks = this.passwordChecks.count();
		assertThat(forged.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(forged.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(this.passwordChecks.count()).isEqualTo(checks);
		assertThat(forged.get("/actuator/responder").statusCode()).isEqualTo(401);
		assertThat(this.passwordChecks.count()).as("an unknown user costs a check, as a known one does")
			.isEqualTo(checks + 1);
	}

}
