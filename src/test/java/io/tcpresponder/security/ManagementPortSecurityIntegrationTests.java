package io.tcpresponder.security;

import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same rules on a separate management port and with health mapped to another path: the rules follow the endpoints,
 * not their default URLs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "management.server.port=0",
				"management.endpoints.web.path-mapping.health=status" })
@Import(PasswordChecks.class)
class ManagementPortSecurityIntegrationTests {

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private SecurityProperties security;

	@Autowired
	private PasswordChecks passwordChecks;

	@Test
	void probesAndReadsAreOpenAndCredentialsThereAreNotChecked() {
		Actuator forged = new Actuator(this.managementPort).withBasicAuth("nobody", "x");
		int checks = this.passwordChecks.count();
		assertThat(forged.get("/actuator/status/liveness").statusCode()).isEqualTo(200);
		assertThat(forged.get("/actuator/status").statusCode()).isEqualTo(200);
		assertThat(forged.get("/actuator/responder").statusCode()).isEqualTo(200);
		assertThat(forged.head("/actuator/responder").statusCode()).isEqualTo(200);
		assertThat(this.passwordChecks.count()).isEqualTo(checks);
	}

	@Test
	void healthDetailsAndRestartNeedTheOperatorsCredentials() {
		Actuator anonymous = new Actuator(this.managementPort);
		assertThat(anonymous.get("/actuator/status/details").statusCode()).isEqualTo(401);
		assertThat(anonymous.post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(401);
		Actuator operator = anonymous.asOperator(this.security);
		assertThat(Actuator.json(operator.get("/actuator/status/details")).at("/components/responder/details/state")
			.asString()).isEqualTo("LISTENING");
		assertThat(operator.post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(200);
	}

}
