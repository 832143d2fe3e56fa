package io.tcpresponder.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The way tests start JVMs: each waits only for what the test asks, fails at once when the process ends first, and is
 * stopped in the end.
 */
class JvmProcessTests {

	@TempDir
	Path dir;

	@Test
	void waitsForALineOfTheLogAndTheExitOnceTheInputEnds() {
		try (JvmProcess process = echo().start()) {
			assertThat(process.awaitLog("^port (\\d+)$").group(1)).isEqualTo("4242");
			process.closeInput();
			assertThat(process.awaitExit()).isEqualTo(3);
			assertThat(process.log()).contains("port 4242", "input ended");
		}
	}

	@Test
	void aWaitFailsAtOnceWithTheEndOfTheLogWhenTheProcessExitsFirst() {
		try (JvmProcess process = echo().start()) {
			process.closeInput();
			long started = System.nanoTime();
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> process.awaitLog("never printed"))
				.withMessageContaining("exited with code 3")
				.withMessageContaining("input ended");
			// Far less than the bound for a hung process: the exit ends the wait, not the bound.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(1));
		}
	}

	@Test
	void aProcessWithoutAKnownHttpPortDoesNotWaitForReadiness() {
		try (JvmProcess process = echo().start()) {
			assertThatIllegalStateException().isThrownBy(process::awaitReady)
				.withMessageContaining("no known HTTP port");
		}
	}

	@Test
	void sigtermStopsTheProcessWithTheSignalsExitCode() {
		try (JvmProcess process = echo().arguments("until-killed").start()) {
			process.awaitLog("^port ");
			assertThat(process.stop()).isEqualTo(143);
		}
	}

	@Test
	void closeKillsAProcessThatStillRuns() {
		JvmProcess process = echo().start();
		process.awaitLog("^port ");
		process.close();
		assertThat(process.isAlive()).isFalse();
	}

	@Test
	void aCommandPrefixRunsTheJvm() {
		try (JvmProcess process = echo().prefix(List.of("/usr/bin/env", "PREFIXED=yes")).start()) {
			assertThat(process.awaitLog("^PREFIXED=(.*)$").group(1)).isEqualTo("yes");
		}
	}

	private JvmLaunch echo() {
		return JvmLaunch.mainClass(Echo.class).jvmOptions("-Xmx32m", "-XX:TieredStopAtLevel=1")
			.arguments("4242")
			.log(this.dir.resolve("echo.log"));
	}

	/**
	 * Prints {@code port N} and its environment's PREFIXED, then waits for its standard input to end, and exits with 3;
	 * told {@code until-killed}, it waits for a signal instead: SIGTERM's {@link Process#destroy} also closes the
	 * input, whose end would race the signal.
	 */
	public static final class Echo {

		private Echo() {
		}

		public static void main(String[] args) throws Exception {
			System.out.println("port " + args[0]);
			System.out.println("PREFIXED=" + System.getenv("PREFIXED"));
			if (args.length > 1 && args[1].equals("until-killed")) {
				Thread.currentThread().join();
			}
			System.in.transferTo(java.io.OutputStream.nullOutputStream());
			System.err.println("input ended");
			System.exit(3);
		}

	}

}
