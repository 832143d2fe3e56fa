package io.tcpresponder.security;

import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With anonymous reads turned off, only health stays open.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "responder.security.anonymous-reads=false" })
class AuthenticatedReadsIntegrationTests {

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	@Test
	void readsNeedCredentialsButProbesDoNot() {
		Actuator anonymous = new Actuator(this.httpPort);
		assertThat(anonymous.get("/actuator/responder").statusCode()).isEqualTo(401);
		assertThat(anonymous.get("/actuator/prometheus").statusCode()).isEqualTo(401);
		assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(anonymous.asOperator(this.security).get("/actuator/responder").statusCode()).isEqualTo(200);
	}

}
