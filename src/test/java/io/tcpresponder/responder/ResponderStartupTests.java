package io.tcpresponder.responder;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.tcpresponder.TcpResponderApplication;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.KernelSockets;
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
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

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
			responder.close-mode=bogus        | responder.close-mode     | 'are valid:\n\n    client-first\n    server-first\n'
			""")
	void badConfigurationFailsStartupNamingTheProperty(String setting, String property, String reason,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(setting).close());
		assertThat(output).contains("APPLICATION FAILED TO START", "Origin: \"" + property + "\"",
				reason.translateEscapes());
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
			int port = holder.getLocalPort();
			assertThatExceptionOfType(ResponderBindException.class)
				.isThrownBy(() -> run("responder.port=" + port, "responder.fail-fast=true").close())
				.withRootCauseInstanceOf(java.io.IOException.class)
				.withMessage("Unable to start the TCP responder on :: port " + port
						+ ": EADDRINUSE (Address already in use)");
			assertThat(output).doesNotContain("Application run failed")
				.contains("APPLICATION FAILED TO START", "The TCP responder could not listen on :: port " + port
						+ ": EADDRINUSE (Address already in use). The kernel shows 1 listening socket on port " + port)
				.contains("Stop the process that listens on port " + port + " (ss -ltnp 'sport = :" + port
						+ "' names it), or choose another port with responder.port.")
				.contains("Or set responder.fail-fast=false");
		}
	}

	@Test
	void failFastOverTimeWaitSocketsSaysToWaitOrReuseTheAddress(CapturedOutput output) throws IOException {
		KernelSockets.assumeAvailable();
		int port = leaveTimeWaitSocket();
		assertThatExceptionOfType(ResponderBindException.class)
			.isThrownBy(() -> run("responder.port=" + port, "responder.bind-address=127.0.0.1",
					"responder.reuse-address=false", "responder.fail-fast=true")
				.close());
		assertThat(output).doesNotContain("Application run failed")
			.contains("The TCP responder could not listen on 127.0.0.1 port " + port
					+ ": EADDRINUSE (Address already in use). The kernel shows no listener on port " + port
					+ " but 1 socket in TIME_WAIT")
			.contains("Wait up to 60 seconds for them to expire, or set responder.reuse-address=true");
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

	/**
	 * Serves one client on a port that is then closed, the server closing first: the port is left with the server's
	 * TIME_WAIT socket and no listener.
	 */
	private static int leaveTimeWaitSocket() throws IOException {
		int port;
		try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
			port = listener.getLocalPort();
			listener.accept().close();
			assertThat(client.getInputStream().read()).as("end of stream").isEqualTo(-1);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> KernelSockets.count("time-wait", port) == 1);
		return port;
	}

	@Test
	void aStartupThatFailsAfterTheResponderListensStopsIt() {
		AtomicInteger port = new AtomicInteger();
		SpringApplicationBuilder builder = new SpringApplicationBuilder(TcpResponderApplication.class)
			.web(WebApplicationType.NONE)
			.initializers((context) -> context.addBeanFactoryPostProcessor((beanFactory) -> {
				port.set(((TcpResponder) beanFactory.getSingleton(EarlyResponderStart.BEAN_NAME)).settings().port());
				throw new IllegalStateException("a bean that cannot be made");
			}));
		assertThatIllegalStateException().isThrownBy(() -> builder.run("--responder.port=0").close())
			.withMessageContaining("a bean that cannot be made");
		assertThat(port).hasPositiveValue();
		assertThatExceptionOfType(ConnectException.class).as("connecting to the port of the failed startup")
			.isThrownBy(() -> Clients.connect(port.get()).close());
	}

	private static ConfigurableApplicationContext run(String... properties) {
		String[] args = java.util.Arrays.stream(properties).map((property) -> "--" + property).toArray(String[]::new);
		return new SpringApplicationBuilder(TcpResponderApplication.class).web(WebApplicationType.NONE).run(args);
	}

}
