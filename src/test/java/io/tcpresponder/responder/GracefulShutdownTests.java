package io.tcpresponder.responder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tcpresponder.TcpResponderApplication;
import io.tcpresponder.support.Load.Reception;
import io.tcpresponder.support.Load;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application as a process of its own, stopped by SIGTERM as Kubernetes and systemd stop it, while clients keep
 * connecting: every client gets the whole line or nothing, and the process exits within its shutdown timeout.
 */
class GracefulShutdownTests {

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

	/** What the JVM may take, beyond the responder's shutdown timeout, to stop the web server and exit. */
	private static final Duration EXIT_ALLOWANCE = Duration.ofSeconds(8);

	/** More than one write of a new connection takes, so that some writes are still in progress at SIGTERM. */
	private static final String MESSAGE = "x".repeat(64 * 1024) + "\n";

	private static final int CLIENTS = 16;

	@TempDir
	Path logs;

	private Process process;

	@AfterEach
	void kill() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void sigtermUnderLoadGivesEveryClientTheWholeLineOrNothingAndExitsWithinTheShutdownTimeout() throws Exception {
		int port = freePort();
		Path log = this.logs.resolve("application.log");
		this.process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				TcpResponderApplication.class.getName(), "--server.port=0", "--responder.port=" + port,
				"--responder.fail-fast=true", "--responder.shutdown-timeout=" + SHUTDOWN_TIMEOUT.toMillis() + "ms",
				"--responder.message=" + MESSAGE, "--spring.security.user.password=x")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		byte[] line = MESSAGE.getBytes(StandardCharsets.UTF_8);
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
			assertThat(this.process.isAlive()).as(() -> "the application is running; its log:\n" + read(log)).isTrue();
			return Load.receive(port, line, 1000, 5000) == Reception.WHOLE;
		});

		Load.Outcomes outcomes;
		long exitMillis;
		try (Load load = Load.start(port, MESSAGE, CLIENTS, 5000)) {
			long attempts = load.attempts();
			await().atMost(Duration.ofSeconds(30)).until(() -> load.attempts() >= attempts + 500);
			long sigterm = System.nanoTime();
			this.process.destroy();
			boolean exited = this.process.waitFor(SHUTDOWN_TIMEOUT.plus(EXIT_ALLOWANCE).toMillis(),
					TimeUnit.MILLISECONDS);
			exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
			assertThat(exited).as(() -> "exited within " + SHUTDOWN_TIMEOUT.plus(EXIT_ALLOWANCE) + "; its log:\n"
					+ read(log)).isTrue();
			outcomes = load.stop();
		}
		String output = read(log);
		// The JVM ends by the signal's default action once the shutdown hooks have run: 128 + 15.
		assertThat(this.process.exitValue()).as(output).isEqualTo(143);
		assertThat(outcomes.partial()).as("clients that received part of the line").isZero();
		assertThat(outcomes.whole()).as("clients served before the signal").isPositive();
		List<String> lines = output.lines().toList();
		assertThat(lines).anyMatch((l) -> l.contains("TCP responder listening on") && l.contains("port " + port));
		assertThat(lines).as("the responder says it stopped").anyMatch((l) -> l.contains("TCP responder stopped: "));
		assertThat(lines).as("the web server shut down gracefully")
			.anyMatch((l) -> l.contains("Graceful shutdown complete"));
		assertThat(lines).as("no error while stopping").noneMatch((l) -> l.contains(" ERROR ") || l.contains("Exception"));
		System.out.println("FIGURES " + getClass().getSimpleName() + " clients=" + CLIENTS + " messageBytes="
				+ line.length + " connections=" + outcomes.connections() + " served=" + outcomes.whole()
				+ " refusedOrReset=" + outcomes.nothing() + " partial=" + outcomes.partial() + " connPerSec="
				+ outcomes.perSecond() + " shutdownTimeoutMs=" + SHUTDOWN_TIMEOUT.toMillis() + " exitAfterSigtermMs="
				+ exitMillis + " exitCode=" + this.process.exitValue());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String read(Path log) {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			return "(unreadable: " + ex + ")";
		}
	}

}
