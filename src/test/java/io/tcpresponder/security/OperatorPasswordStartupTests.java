package io.tcpresponder.security;

import io.tcpresponder.TcpResponderApplication;
import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * An operator password that credentials cannot be checked against fails the start with a message, instead of failing
 * every request with credentials later.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorPasswordStartupTests {

	/** "secret", hashed with bcrypt. */
	private static final String BCRYPT_SECRET = "{bcrypt}$2a$10$6ibjQPYHx6mcdfMd8c/FkOvR14RooGjfZzOOr7WR6oKBvFQAB6wPG";

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{my}Tr0ub4dor           | Tr0ub4dor | There is no password encoder mapped for the id 'my'
			{bcrypt}Tr0ub4dor       | Tr0ub4dor | {bcrypt} must be followed by a BCrypt hash
			{bcrypt}$2a$99$6ibjQPYHx6mcdfMd8c/FkOvR14RooGjfZzOOr7WR6oKBvFQAB6wPG | 6ibjQPYHx6 | Bad number of rounds
			""")
	void anUnusablePasswordFailsTheStartNamingTheProperty(String password, String secret, String reason,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(password).close());
		assertThat(output).contains("APPLICATION FAILED TO START",
				"The operator's password (spring.security.user.password) cannot be used: " + reason,
				"Set spring.security.user.password (SPRING_SECURITY_USER_PASSWORD)")
			.doesNotContain(secret)
			.doesNotContain("\tat ");
	}

	@Test
	void aBcryptHashStartsAndChecksCredentials() {
		try (ConfigurableApplicationContext context = run(BCRYPT_SECRET)) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			Actuator anonymous = new Actuator(port);
			assertThat(anonymous.withBasicAuth("operator", "secret").post("/actuator/responder/restart", "{}")
				.statusCode()).isEqualTo(200);
			assertThat(anonymous.withBasicAuth("operator", "Secret").post("/actuator/responder/restart", "{}")
				.statusCode()).isEqualTo(401);
		}
	}

	private static ConfigurableApplicationContext run(String password) {
		return new SpringApplicationBuilder(TcpResponderApplication.class).run("--server.port=0", "--responder.port=0",
				"--spring.security.user.name=operator", "--spring.security.user.password=" + password);
	}

}
