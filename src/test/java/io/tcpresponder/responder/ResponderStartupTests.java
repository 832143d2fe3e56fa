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
import io.tcpresponder.responder.server.ListenerState;
import io.tcpresponder.responder.server.ResponderBindException;
import io.tcpresponder.responder.server.ResponderState;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.support.LocalPorts;
import io.tcpresponder.support.Transports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AbstractAotProcessor;

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
			responder.bind-address=localhost  | responder.bind-address   | failed to convert
			responder.bind-addresses=127.0.0.1,192.0.2.1 | responder.bindAddresses[1] | must be an address of this host
			responder.bind-addresses=localhost | responder.bind-addresses | failed to convert
			responder.bind-addresses=127.0.0.1,127.0.0.1 | responder.bind-addresses | must be distinct addresses
			responder.bind-addresses=127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6,127.0.0.7,127.0.0.8,127.0.0.9,127.0.0.10,127.0.0.11,127.0.0.12,127.0.0.13,127.0.0.14,127.0.0.15,127.0.0.16,127.0.0.17 | responder.bind-addresses | must be at most 16 addresses
			responder.write-timeout=0s        | responder.write-timeout  | must be longer than or equal to
			responder.shutdown-timeout=-1s    | responder.shutdown-timeout | must be longer than or equal to
			responder.close-mode=bogus        | responder.close-mode     | 'are valid:\n\n    client-first\n    server-first\n'
			""")
	void badConfigurationFailsStartupNamingTheProperty(String setting, String property, String reason,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(setting).close());
		// A list's element has no origin of its own: the report names it by its index.
		assertThat(output).contains("APPLICATION FAILED TO START", reason.translateEscapes())
			.containsAnyOf("Origin: \"" + property + "\"", "Property: " + property + "\n");
	}

	@Test
	void theDeprecatedBindAddressIsAListOfOneAddress() throws IOException {
		try (ConfigurableApplicationContext context = run("responder.port=0", "responder.bind-address=127.0.0.2")) {
			TcpResponder responder = context.getBean(TcpResponder.class);
			int port = responder.settings().port();
			assertThat(responder.settings().addresses()).containsExactly(InetAddress.ofLiteral("127.0.0.2"));
			assertThat(responder.listenerStatuses()).singleElement()
				.satisfies((listener) -> assertThat(listener.address()).isEqualTo("127.0.0.2"))
				.satisfies((listener) -> assertThat(listener.state()).isEqualTo(ListenerState.LISTENING));
			assertThat(Clients.fetch(InetAddress.ofLiteral("127.0.0.2"), port)).isEqualTo(Clients.LINE);
			assertThatExceptionOfType(ConnectException.class).as("not listening on 127.0.0.1")
				.isThrownBy(() -> Clients.connect(port).close());
		}
	}

	@Test
	void bindAddressAndBindAddressesTogetherFailStartupNamingBoth(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("responder.port=0", "responder.bind-address=127.0.0.1",
				"responder.bind-addresses=127.0.0.2").close());
		assertThat(output).contains("APPLICATION FAILED TO START",
				"The following configuration properties are mutually exclusive:", "responder.bind-address",
				"responder.bind-addresses");
	}

	@Test
	void failFastNamesTheAddressThatDidNotBind(CapturedOutput output) throws IOException {
		try (ServerSocket holder = new ServerSocket()) {
			holder.bind(new java.net.InetSocketAddress(InetAddress.ofLiteral("127.0.0.2"), 0));
			int port = holder.getLocalPort();
			assertThatExceptionOfType(ResponderBindException.class)
				.isThrownBy(() -> run("responder.port=" + port, "responder.bind-addresses=127.0.0.1,127.0.0.2",
						"responder.fail-fast=true")
					.close())
				.withMessageStartingWith("Unable to start the TCP responder on 127.0.0.2 port " + port
						+ ": EADDRINUSE (Address already in use), held by 1 listening socket (inode ");
			assertThat(output).contains("APPLICATION FAILED TO START",
					"The TCP responder could not listen on 127.0.0.2 port " + port + ": EADDRINUSE (Address already in use).",
					"responder.bind-addresses");
			assertThatExceptionOfType(ConnectException.class).as("the address that did bind is closed again")
				.isThrownBy(() -> Clients.connect(port).close());
		}
	}

	@Test
	void failFastOnAWildcardBesideASpecificAddressSaysLinuxRefusesIt(CapturedOutput output) throws IOException {
		int port = LocalPorts.free();
		assertThatExceptionOfType(ResponderBindException.class)
			.isThrownBy(() -> run("responder.port=" + port, "responder.bind-addresses=0.0.0.0,127.0.0.1",
					"responder.fail-fast=true")
				.close())
			.withMessageStartingWith("Unable to start the TCP responder on 127.0.0.1 port " + port
					+ ": EADDRINUSE (Address already in use), held by 1 listening socket (inode ");
		assertThat(output).contains("The TCP responder could not listen on 127.0.0.1 port " + port
				+ ": EADDRINUSE (Address already in use). responder.bind-addresses has a wildcard address beside others.")
			.contains("On Linux a wildcard address (0.0.0.0 or ::) and another address on the same port refuse each other");
	}

	/**
	 * The JDK cannot set IPV6_V6ONLY: on nio the option stops the start, rather than leaving {@code ::} dual-stack
	 * against the configuration.
	 */
	@Test
	void ipv6OnlyOnTheNioTransportFailsStartupNamingThePropertyAndWhy(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("responder.port=0", "responder.transport=nio",
				"responder.ipv6-only=true").close());
		assertThat(output).contains("APPLICATION FAILED TO START", "responder.ipv6-only",
				"the nio transport (responder.transport: nio) cannot set it: the JDK cannot set IPV6_V6ONLY");
	}

	@Test
	void ipv6OnlyOnTheNativeTransportLetsTheIpv6AndTheIpv4WildcardShareThePort() {
		Assumptions.assumeTrue(Transports.isLinux(), "the native transport runs on Linux only");
		try (ConfigurableApplicationContext context = run("responder.port=0", "responder.transport=native",
				"responder.ipv6-only=true", "responder.bind-addresses=::,0.0.0.0")) {
			TcpResponder responder = context.getBean(TcpResponder.class);
			assertThat(responder.settings().options().ipv6Only()).isTrue();
			assertThat(responder.status().state()).isEqualTo(ResponderState.LISTENING);
			assertThat(Clients.fetch(InetAddress.ofLiteral("127.0.0.1"), responder.settings().port()))
				.isEqualTo(Clients.LINE);
		}
	}

	@Test
	void portZeroStartsOnAFreePort() {
		try (ConfigurableApplicationContext context = run("responder.port=0")) {
			TcpResponder responder = context.getBean(TcpResponder.class);
			assertThat(responder.status().state()).isEqualTo(ResponderState.LISTENING);
			assertThat(Clients.fetch(responder.settings().port())).isEqualTo(Clients.LINE);
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
				.withMessageStartingWith("Unable to start the TCP responder on :: port " + port
						+ ": EADDRINUSE (Address already in use), held by 1 listening socket (inode ");
			assertThat(output).doesNotContain("Application run failed")
				.contains("APPLICATION FAILED TO START", "The TCP responder could not listen on :: port " + port
						+ ": EADDRINUSE (Address already in use). The kernel shows it held by 1 listening socket (inode ")
				.contains("process " + ProcessHandle.current().pid()
						+ " (java), a listener of this very process); a listening socket stays until its process closes it")
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
					+ ": EADDRINUSE (Address already in use). The kernel shows it held by 1 socket in TIME_WAIT until ")
			.containsPattern("A start at or after \\S+ \\(in \\d+ s\\), when the kernel removes them, binds port " + port)
			.contains("Or set responder.reuse-address=true, which binds over them only if the listener that left them, "
					+ "not this process's, had SO_REUSEADDR on too.");
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
			assertThat(Clients.fetch(responder.settings().port())).isEqualTo(Clients.LINE);
		}
	}

	@Test
	void theApplicationHasOneResponderAndOneSetOfItsProperties() {
		try (ConfigurableApplicationContext context = run("responder.port=0", "responder.message=one")) {
			assertThat(context.getBeansOfType(TcpResponder.class)).hasSize(1);
			assertThat(context.getBeansOfType(ResponderProperties.class).values()).singleElement()
				.satisfies((properties) -> assertThat(properties.message()).isEqualTo("one"));
		}
	}

	@Test
	void springAotProcessingStartsNoResponder() throws IOException {
		int port = LocalPorts.free();
		AtomicReference<ConfigurableApplicationContext> prepared = new AtomicReference<>();
		// As Spring AOT's build-time run does: with spring.aot.processing set, it abandons the run once the context
		// is prepared.
		SpringApplicationRunListener abandon = new SpringApplicationRunListener() {

			@Override
			public void contextLoaded(ConfigurableApplicationContext context) {
				prepared.set(context);
				throw new SpringApplication.AbandonedRunException(context);
			}

		};
		System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
		try {
			assertThatExceptionOfType(SpringApplication.AbandonedRunException.class)
				.isThrownBy(() -> SpringApplication.withHook((application) -> abandon,
						() -> new SpringApplicationBuilder(TcpResponderApplication.class).web(WebApplicationType.NONE)
							.run("--responder.port=" + port, "--responder.bind-address=127.0.0.1")));
		}
		finally {
			System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
		}
		assertThat(prepared.get().getBeanFactory().containsSingleton(EarlyResponderStart.BEAN_NAME)).isFalse();
		assertThatExceptionOfType(ConnectException.class).as("connecting to the port of the AOT run")
			.isThrownBy(() -> Clients.connect(port).close());
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
