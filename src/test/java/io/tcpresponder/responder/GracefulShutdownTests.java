package io.tcpresponder.responder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.JvmLaunch;
import io.tcpresponder.support.JvmProcess;
import io.tcpresponder.support.Load.Reception;
import io.tcpresponder.support.Load;
import io.tcpresponder.support.Transports;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a process of its own, on each transport, stopped by SIGTERM as Kubernetes and systemd stop it,
 * while clients keep connecting: every client gets the whole line or nothing, and the process exits within its shutdown timeout and
 * what stopping takes beside it, whether it had started or was still starting.
 */
@EachTransport
class GracefulShutdownTests {

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

	/** More than one write of a new connection takes, so that some writes are still in progress at SIGTERM. */
	private static final String MESSAGE = "x".repeat(64 * 1024) + "\n";

	private static final byte[] LINE = MESSAGE.getBytes(StandardCharsets.UTF_8);

	private static final int CLIENTS = 16;

	/** Connections made under load before the signal, so that it comes while clients are being served. */
	private static final int CONNECTIONS_BEFORE_SIGNAL = 500;

	@Parameter
	TransportChoice choice;

	@TempDir
	Path directory;

	@BeforeEach
	void transportRunsHere() {
		Transports.load(this.choice);
	}

	@Test
	void sigtermUnderLoadGivesEveryClientTheWholeLineOrNothingAndExitsWithinTheShutdownTimeout() throws Exception {
		try (JvmProcess application = JvmLaunch.application(this.directory).arguments(arguments()).start()) {
			int port = application.awaitResponderPort();
			application.awaitReady();
			// Stopping the web server and the context takes less than starting them did, on this machine, now.
			Duration allowance = application.sinceLaunch();
			Stop stop = sigtermUnderLoad(application, port, allowance);
			String log = application.log();
			List<String> lines = log.lines().toList();
			assertThat(lines).anyMatch((l) -> l.contains("TCP responder listening on") && l.contains("port " + port));
			assertThat(lines).as("the responder says it stopped").anyMatch((l) -> l.contains("TCP responder stopped: "));
			assertThat(lines).as("the web server shut down gracefully")
				.anyMatch((l) -> l.contains("Graceful shutdown complete"));
			assertThat(lines).as("no error while stopping").noneMatch((l) -> l.contains(" ERROR ") || l.contains("Exception"));
			assertThat(lines).as("the transport chosen")
				.anyMatch((l) -> l.contains("TCP responder listening on") && l.contains(this.choice.value() + " transport"));
			stop.print("afterReadiness", allowance);
		}
	}

	@Test
	void sigtermWhileTheContextIsStillStartingStopsPromptlyAndGivesEveryClientTheWholeLineOrNothing() throws Exception {
		try (JvmProcess application = JvmLaunch.application(this.directory)
			.arguments(arguments())
			.heldInStartup()
			.start()) {
			int port = application.awaitResponderPort();
			// Stopping the responder takes less than the JVM took to start up to it, on this machine, now.
			Duration allowance = application.sinceLaunch();
			Stop stop = sigtermUnderLoad(application, port, allowance);
			assertThat(stop.readinessAtSignal()).as("readiness when the signal was sent: the context was still starting")
				.isNull();
			List<String> lines = application.log().lines().toList();
			assertThat(lines).as("the responder says it stopped").anyMatch((l) -> l.contains("TCP responder stopped: "));
			assertThat(lines).as("the startup was abandoned")
				.anyMatch((l) -> l.contains("abandoning the startup"))
				.noneMatch((l) -> l.contains("Started " + "TcpResponderApplication"));
			assertThat(lines).as("no error while stopping").noneMatch((l) -> l.contains(" ERROR ") || l.contains("Exception"));
			stop.print("duringStartup", allowance);
		}
	}

	private String[] arguments() {
		return new String[] { "--responder.transport=" + this.choice.value(), "--responder.fail-fast=true",
				"--responder.shutdown-timeout=" + SHUTDOWN_TIMEOUT.toMillis() + "ms", "--responder.message=" + MESSAGE };
	}

	/**
	 * Sends SIGTERM while clients keep connecting, and checks the exit: within the shutdown timeout and the given
	 * allowance, with SIGTERM's exit code, no client given part of the line.
	 */
	private Stop sigtermUnderLoad(JvmProcess application, int port, Duration allowance) throws Exception {
		Duration bound = SHUTDOWN_TIMEOUT.plus(allowance);
		application.await("a client served the whole line",
				() -> Load.receive(port, LINE, 5000, 5000) == Reception.WHOLE);
		Load.Outcomes outcomes;
		long exitNanos;
		String readiness;
		try (Load load = Load.start(port, MESSAGE, CLIENTS, 5000)) {
			application.await(CONNECTIONS_BEFORE_SIGNAL + " connections under load",
					() -> load.attempts() >= CONNECTIONS_BEFORE_SIGNAL);
			readiness = application.readiness();
			long sigterm = System.nanoTime();
			application.sigterm();
			boolean exited = application.awaitExit(bound);
			exitNanos = System.nanoTime() - sigterm;
			assertThat(exited).as(() -> "exited within " + bound + "; its log:\n" + application.log()).isTrue();
			outcomes = load.stop();
		}
		// The JVM ends by the signal's default action once the shutdown hooks have run: 128 + 15.
		assertThat(application.exitCode()).as(application.log()).isEqualTo(143);
		assertThat(outcomes.partial()).as("clients that received part of the line").isZero();
		assertThat(outcomes.whole()).as("clients served before the signal").isPositive();
		return new Stop(this.choice, outcomes, readiness, TimeUnit.NANOSECONDS.toMillis(exitNanos), application.exitCode());
	}

	private record Stop(TransportChoice choice, Load.Outcomes outcomes, String readinessAtSignal, long exitMillis, int exitCode) {

		void print(String when, Duration allowance) {
			System.out.println("FIGURES " + GracefulShutdownTests.class.getSimpleName() + "[" + this.choice.value() + "]." + when + " clients="
					+ CLIENTS + " messageBytes=" + LINE.length + " connections=" + this.outcomes.connections()
					+ " served=" + this.outcomes.whole() + " refusedOrReset=" + this.outcomes.nothing() + " partial="
					+ this.outcomes.partial() + " connPerSec=" + this.outcomes.perSecond() + " readinessAtSigterm="
					+ this.readinessAtSignal + " shutdownTimeoutMs=" + SHUTDOWN_TIMEOUT.toMillis() + " allowanceMs="
					+ allowance.toMillis() + " exitAfterSigtermMs=" + this.exitMillis + " exitCode=" + this.exitCode);
		}

	}

}
