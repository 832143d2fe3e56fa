package io.tcpresponder.responder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.tcpresponder.TcpResponderApplication;
import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.AfterEach;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * {@code responder.transport} as an operator sets it: which transport serves, what the actuator reports, what a bad
 * value says, and what {@code auto} does where native access is not enabled.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransportSelectionTests {

	private static final String LINE = "I sent sth to client!\n";

	@TempDir
	Path dir;

	private Process process;

	@AfterEach
	void kill() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
	}

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
						"--responder.transport=" + transport)) {
			Actuator actuator = new Actuator(((WebServerApplicationContext) context).getWebServer().getPort());
			JsonNode failed = actuator.responder();
			assertThat(failed.get("transport").asString()).isEqualTo(transport);
			assertThat(failed.get("state").asString()).isEqualTo("FAILED");
			assertThat(failed.get("lastError").toString())
				.isEqualTo("{\"code\":\"EADDRINUSE\",\"errno\":98,\"message\":\"Address already in use\",\"call\":\"bind\"}");
			JsonNode health = Actuator.json(actuator.get("/actuator/health"));
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
	void autoTakesNioAndSaysWhyWhereNativeAccessIsNotEnabled() throws Exception {
		String output = runWithoutNativeAccess("auto");
		assertThat(output).contains("transport nio")
			.contains("TCP responder on the nio transport: native access is not enabled")
			.doesNotContain("restricted method");
		assertThat(this.process.exitValue()).as(output).isZero();
	}

	@Test
	void nativeFailsSayingWhyWhereNativeAccessIsNotEnabled() throws Exception {
		Assumptions.assumeTrue(isLinux(), "the native transport runs on Linux only");
		String output = runWithoutNativeAccess("native");
		assertThat(output).contains("native access is not enabled").doesNotContain("restricted method");
		assertThat(this.process.exitValue()).as(output).isNotZero();
	}

	/**
	 * Runs {@link ResponderProcess} on the given transport in a JVM started without native access, stops it at once,
	 * and returns what it printed.
	 */
	private String runWithoutNativeAccess(String transport) throws Exception {
		Path log = this.dir.resolve("output.txt");
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		this.process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
				"-cp", classpath, ResponderProcess.class.getName(), transport)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		this.process.getOutputStream().close();
		assertThat(this.process.waitFor(120, TimeUnit.SECONDS)).as("the responder process exits").isTrue();
		return Files.readString(log, StandardCharsets.UTF_8);
	}

	private static void assumeLinuxWhereNativeIsExpected(String transport) {
		if (NativeTransport.NAME.equals(transport)) {
			Assumptions.assumeTrue(isLinux(), "the native transport runs on Linux only");
		}
	}

	private static boolean isLinux() {
		return "linux".equals(System.getProperty("os.name").toLowerCase(Locale.ROOT));
	}

}
