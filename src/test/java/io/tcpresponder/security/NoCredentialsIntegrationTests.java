package io.tcpresponder.security;

import java.net.http.HttpResponse;

import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no password configured, restart is refused, and Spring Boot generates no password that could open it.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "spring.security.user.password=" })
class NoCredentialsIntegrationTests {

	@LocalServerPort
	private int httpPort;

	@Test
	void restartIsRefusedWithAClearMessage() {
		Actuator actuator = new Actuator(this.httpPort);
		HttpResponse<String> anonymous = actuator.post("/actuator/responder/restart", "{}");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(Actuator.json(anonymous).get("detail").asString()).contains("no credentials are configured",
				"spring.security.user.password");
		assertThat(actuator.withBasicAuth("user", "anything").post("/actuator/responder/restart", "{}").statusCode())
			.isEqualTo(401);
		assertThat(actuator.responder().at("/restarts/succeeded").asLong()).isZero();
		assertThat(actuator.get("/actuator/health").statusCode()).isEqualTo(200);
	}

	@Test
	void noPasswordIsGenerated(CapturedOutput output) {
		assertThat(output).doesNotContain("Using generated security password");
	}

}
