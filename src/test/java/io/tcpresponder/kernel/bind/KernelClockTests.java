package io.tcpresponder.kernel.bind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.tcpresponder.transport.linux.NativeTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The kernel's clock as any user reads it, from {@code times(2)} and {@code clock_getres(2)}, held against the
 * kernel's own tick counter in {@code /proc/timer_list} where this process may read it (as root).
 */
class KernelClockTests {

	/**
	 * Both clocks take a tick to begin no earlier than it did, so each tells the counter at a moment no higher than the
	 * kernel's: they agree to a few ticks. A busy machine, or an idle one whose ticks the kernel counts up in a burst
	 * when a core wakes (NOHZ), may put either a tick or two behind.
	 */
	@Test
	@EnabledOnOs(OS.LINUX)
	void theClockFromTimesIsTheTimerListsToAFewTicks() {
		assumeThat(Files.isReadable(Path.of("/proc/timer_list"))).as("/proc/timer_list is readable (root)").isTrue();
		KernelClock times = fromTimes().orElseThrow();
		assertThat(times.source()).isEqualTo(KernelClock.TIMES);
		for (int i = 0; i < 20; i++) {
			KernelClock timerList = KernelClock.read().orElseThrow();
			long at = System.nanoTime();
			assertThat(times.hz()).isEqualTo(timerList.hz());
			assertThat(times.jiffiesAt(at)).as("times(2)'s tick against timer_list's, reading %d", i)
				.isBetween(timerList.jiffiesAt(at) - 3, timerList.jiffiesAt(at) + 3);
		}
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void theTickIsTheResolutionOfTheCoarseClock() {
		long tickNanos = NativeTransport.tickNanos();
		assertThat(1_000_000_000L / tickNanos).as("HZ").isIn(100L, 250L, 300L, 1000L);
		assertThat(NativeTransport.clockTicksPerSecond()).as("USER_HZ").isEqualTo(100);
	}

	/**
	 * The inversion of {@code times(2)}'s rounding, against a counter of known ticks at each HZ Linux offers: the tick
	 * it names began no later than the moment it gives, and no more than a tick earlier.
	 */
	@Test
	void theTickCaughtAsTheClockTicksMoveIsTheOneThatBeganThen() {
		for (int hz : new int[] { 100, 250, 300, 1000 }) {
			long tickNanos = (1_000_000_000L + hz / 2) / hz;
			long start = System.nanoTime();
			long initial = (1L << 32) - 300L * hz + 123_456;
			LongSupplier jiffies = () -> initial + (System.nanoTime() - start) / tickNanos;
			LongSupplier clockTicks = () -> Math.floorDiv(jiffies.getAsLong() * tickNanos, 10_000_000L);
			KernelClock clock = KernelClock.fromClockTicks(clockTicks, 100, tickNanos).orElseThrow();
			assertThat(clock.hz()).isEqualTo(hz);
			long at = System.nanoTime();
			long truth = jiffies.getAsLong();
			assertThat(clock.jiffiesAt(at)).as("at HZ %d", hz).isBetween(truth - 1, truth);
		}
	}

	private static Optional<KernelClock> fromTimes() {
		return KernelClock.fromClockTicks(NativeTransport.clockTicks(), NativeTransport.clockTicksPerSecond(),
				NativeTransport.tickNanos());
	}

}
