package io.tcpresponder.responder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;

import io.tcpresponder.TcpResponderApplication;
import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Starting the application as an operator does, with good and bad configuration.
 */
@ExtendWith(OutputCaptureExtension.class)
class ResponderStartupTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			responder.port=70000              | responder.port           | must be less than or equal to 65535
			responder.port=-1                 | responder.port           | must be greater than or equal to 0
			responder.port=abc                | responder.port           | failed to convert
			responder.backlog=0               | responder.backlog        | must be greater than or equal to 1
			responder.message=                | responder.message        | must not be empty
			responder.bind-address=192.0.2.1  | responder.bind-address   | must be an address of this host
			responder.write-timeout=0s        | responder.write-timeout  | must be longer than or equal to
			responder.shutdown-timeout=-1s    | responder.shutdown-timeout | must be longer than or equal to
			""")
	void badConfigurationFailsStartupNamingTheProperty(String setting, String property, String reason,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(setting).close());
		assertThat(output).contains("APPLICATION FAILED TO START", "Origin: \"" + property + "\"", reason);
	}

	@Test
	void portZeroStartsOnAFreePort() {
		try (ConfigurableApplicationContext context = run("responder.port=0")) {
			TcpResponder responder = context.getBean(TcpResponder.class);
			assertThat(responder.status().state()).isEqualTo(ResponderState.LISTENING);
			assertThat(Clients.fetch(responder.settings().port())).isEqualTo("I sent sth to client!\n");
		}
	}

	@Test
	void portInUseLeavesTheResponderFailedButTheApplicationUp() throws IOException {
		try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				ConfigurableApplicationContext context = run("responder.port=" + holder.getLocalPort())) {
			TcpResponder responder = context.getBean(TcpResponder.class);
			assertThat(context.isRunning()).isTrue();
			assertThat(responder.status().state()).isEqualTo(ResponderState.FAILED);
			assertThat(responder.status().lastError().code()).isEqualTo("EADDRINUSE");
		}
	}

	@Test
	void failFastMakesAPortInUseFailStartup(CapturedOutput output) throws IOException {
		try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			assertThatExceptionOfType(ResponderBindException.class)
				.isThrownBy(() -> run("responder.port=" + holder.getLocalPort(), "responder.fail-fast=true").close())
				.withRootCauseInstanceOf(java.io.IOException.class)
				.withMessage("Unable to start the TCP responder on :: port " + holder.getLocalPort()
						+ ": EADDRINUSE (Address already in use)");
		}
	}

	@Test
	void listensBeforeTheContextIsRefreshed() {
		AtomicReference<ResponderState> atRefresh = new AtomicReference<>();
		SpringApplicationBuilder builder = new SpringApplicationBuilder(TcpResponderApplication.class)
			.web(WebApplicationType.NONE)
			.initializers((context) -> context.addBeanFactoryPostProcessor((beanFactory) -> atRefresh
				.set(((TcpResponder) beanFactory.getSingleton(EarlyResponderStart.BEAN_NAME)).status().state())));
		try (ConfigurableApplicationContext context = builder.run("--responder.port=0")) {
			assertThat(atRefresh).hasValue(ResponderState.LISTENING);
			TcpResponder responder = context.getBean(TcpResponder.class);
			assertThat(context.getBeansOfType(TcpResponder.class)).hasSize(1);
			assertThat(Clients.fetch(responder.settings().port())).isEqualTo("I sent sth to client!\n");
		}
	}

	private static ConfigurableApplicationContext run(String... properties) {
		String[] args = java.util.Arrays.stream(properties).map((property) -> "--" + property).toArray(String[]::new);
		return new SpringApplicationBuilder(TcpResponderApplication.class).web(WebApplicationType.NONE).run(args);
	}

}
