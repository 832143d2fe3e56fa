package io.tcpresponder.kernel.bind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

	/**
	 * A machine that holds the catching thread across every move of the clock ticks (a JVM just started, a busy
	 * machine): each reading held a millisecond, at HZ 250. The catch takes a move seen between readings less than a
	 * tick apart, and its tick begins no earlier than the truth and no more than a tick later.
	 */
	@Test
	void aThreadHeldAcrossEveryMoveStillCatchesTheTickLateByLessThanATick() {
		long tickNanos = 4_000_000;
		Ticks ticks = new Ticks(tickNanos, Duration.ofMillis(1));
		KernelClock clock = KernelClock.fromClockTicks(ticks::clockTicks, 100, tickNanos).orElseThrow();
		assertThat(clock.nanoTime() - ticks.beginningOf(clock.jiffies())).as("how late the caught tick begins")
			.isBetween(0L, tickNanos);
	}

	/**
	 * Held longer than a tick at every reading, a catch cannot tell a tick's beginning to within one, and gives up.
	 */
	@Test
	void aThreadHeldLongerThanATickAtEveryReadingCatchesNothing() {
		long tickNanos = 1_000_000;
		Ticks ticks = new Ticks(tickNanos, Duration.ofMillis(3));
		assertThat(KernelClock.fromClockTicks(ticks::clockTicks, 100, tickNanos)).isEmpty();
	}

	/**
	 * A tick counter of known beginnings whose every reading holds the reader for a while, as a machine that
	 * deschedules it would.
	 */
	private static final class Ticks {

		private final long start = System.nanoTime();

		private final long initial = (1L << 32) - 300L * 250 + 123_456;

		private final long tickNanos;

		private final long holdNanos;

		Ticks(long tickNanos, Duration hold) {
			this.tickNanos = tickNanos;
			this.holdNanos = hold.toNanos();
		}

		long clockTicks() {
			long jiffies = this.initial + (System.nanoTime() - this.start) / this.tickNanos;
			long heldUntil = System.nanoTime() + this.holdNanos;
			while (System.nanoTime() < heldUntil) {
				Thread.onSpinWait();
			}
			return Math.floorDiv(jiffies * this.tickNanos, 10_000_000L);
		}

		long beginningOf(long jiffies) {
			return this.start + (jiffies - this.initial) * this.tickNanos;
		}

	}

	private static Optional<KernelClock> fromTimes() {
		return KernelClock.fromClockTicks(NativeTransport.clockTicks(), NativeTransport.clockTicksPerSecond(),
				NativeTransport.tickNanos());
	}

}
