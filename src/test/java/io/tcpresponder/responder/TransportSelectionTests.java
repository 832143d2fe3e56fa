package io.tcpresponder.responder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import io.tcpresponder.TcpResponderApplication;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.JvmLaunch;
import io.tcpresponder.support.JvmProcess;
import io.tcpresponder.support.Transports;
import io.tcpresponder.transport.linux.NativeTransport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * {@code responder.transport} as an operator sets it: which transport serves, what the actuator reports, what a bad
 * value says, and what {@code auto} does where native access is not enabled.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransportSelectionTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@CsvSource({ "auto, native", "native, native", "nio, nio" })
	void theConfiguredTransportServes(String setting, String expected) {
		assumeLinuxWhereNativeIsExpected(expected);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TcpResponderApplication.class)
			.web(WebApplicationType.NONE)
			.run("--responder.port=0", "--responder.transport=" + setting)) {
			TcpResponder responder = context.getBean(TcpResponder.class);
			assertThat(responder.transport().name()).isEqualTo(expected);
			assertThat(Clients.fetch(responder.settings().port())).isEqualTo(LINE);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "native", "nio" })
	void theActuatorReportsTheTransportAndTheKernelsErrorWithItsNumberAndCall(String transport) throws IOException {
		assumeLinuxWhereNativeIsExpected(transport);
		try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				ConfigurableApplicationContext context = new SpringApplicationBuilder(TcpResponderApplication.class).run(
						"--server.port=0", "--responder.port=" + holder.getLocalPort(),
						"--responder.transport=" + transport, "--spring.security.user.name=operator",
						"--spring.security.user.password=secret")) {
			Actuator actuator = new Actuator(((WebServerApplicationContext) context).getWebServer().getPort())
				.withBasicAuth("operator", "secret");
			JsonNode failed = actuator.responder();
			assertThat(failed.get("transport").asString()).isEqualTo(transport);
			assertThat(failed.get("state").asString()).isEqualTo("FAILED");
			assertThat(failed.get("lastError").toString())
				.isEqualTo("{\"code\":\"EADDRINUSE\",\"errno\":98,\"message\":\"Address already in use\",\"call\":\"bind\"}");
			JsonNode health = Actuator.json(actuator.get("/actuator/health/details"));
			assertThat(health.at("/components/responder/details/lastError/errno").asInt()).isEqualTo(98);
		}
	}

	@Test
	void anUnknownTransportFailsStartupNamingThePropertyAndTheValidValues(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(TcpResponderApplication.class)
			.web(WebApplicationType.NONE)
			.run("--responder.port=0", "--responder.transport=epoll")
			.close());
		assertThat(output).contains("APPLICATION FAILED TO START", "Origin: \"responder.transport\"",
				"The following values are valid:");
		assertThat(output.toString().replace("\r", "")).contains("\n    auto\n    native\n    nio");
	}

	@Test
	void autoTakesNioAndSaysWhyWhereNativeAccessIsNotEnabled() {
		Run run = runWithoutNativeAccess("auto");
		assertThat(run.output()).contains("transport nio")
			.contains("TCP responder on the nio transport: native access is not enabled")
			.doesNotContain("restricted method");
		if (Transports.isLinux()) {
			// sock_diag needs native access too: the kernel view falls back to the text tables, and says so.
			assertThat(run.output()).contains("Kernel view reads the socket table through /proc/net/tcp, which costs "
					+ "more with many sockets and tells no listener's drops: native access is not enabled");
		}
		assertThat(run.exitCode()).as(run.output()).isZero();
	}

	@Test
	void nativeFailsSayingWhyWhereNativeAccessIsNotEnabled() {
		Assumptions.assumeTrue(Transports.isLinux(), "the native transport runs on Linux only");
		Run run = runWithoutNativeAccess("native");
		assertThat(run.output())
			.contains("responder.transport is native, which cannot run here: native access is not enabled")
			.doesNotContain("restricted method");
		assertThat(run.exitCode()).as(run.output()).isNotZero();
	}

	/**
	 * Where {@code auto} falls back to nio, {@code ipv6-only: true} stops the start as on {@code transport: nio},
	 * naming the property and saying that auto chose nio.
	 */
	@Test
	void ipv6OnlyStopsTheStartWhereAutoFallsBackToNio() {
		Run run = runWithoutNativeAccess(TcpResponderApplication.class, "--spring.main.web-application-type=none",
				"--responder.port=0", "--responder.transport=auto", "--responder.ipv6-only=true");
		assertThat(run.output()).contains("APPLICATION FAILED TO START", "responder.ipv6-only",
				"the nio transport (responder.transport: auto) cannot set it: the JDK cannot set IPV6_V6ONLY");
		assertThat(run.exitCode()).as(run.output()).isNotZero();
	}

	/**
	 * Runs {@link ResponderProcess} on the given transport in a JVM started without native access, stops it at once,
	 * and returns what it printed and its exit code.
	 */
	private Run runWithoutNativeAccess(String transport) {
		return runWithoutNativeAccess(ResponderProcess.class, transport);
	}

	/**
	 * Runs a main class in a JVM started without native access, closes its standard input at once, and returns what
	 * it printed and its exit code.
	 */
	private Run runWithoutNativeAccess(Class<?> main, String... arguments) {
		try (JvmProcess responder = JvmLaunch.mainClass(main)
			.jvmOptions("-Xmx128m")
			.arguments(arguments)
			.log(this.dir.resolve("output.txt"))
			.start()) {
			responder.closeInput();
			int exitCode = responder.awaitExit();
			return new Run(responder.log(), exitCode);
		}
	}

	private record Run(String output, int exitCode) {
	}

	private static void assumeLinuxWhereNativeIsExpected(String transport) {
		if (NativeTransport.NAME.equals(transport)) {
			Assumptions.assumeTrue(Transports.isLinux(), "the native transport runs on Linux only");
		}
	}

}
