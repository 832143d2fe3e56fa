package io.tcpresponder.kernel.bind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

import io.tcpresponder.transport.linux.NativeTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

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
		// A busy machine may keep a catch from succeeding: catch until one does.
		KernelClock times = await().atMost(Duration.ofMinutes(1))
			.until(KernelClockTests::fromTimes, Optional::isPresent)
			.orElseThrow();
		assertThat(times.source()).isEqualTo(KernelClock.TIMES);
		for (int i = 0; i < 20; i++) {
			long reading = System.nanoTime();
			KernelClock timerList = KernelClock.read().orElseThrow();
			long at = System.nanoTime();
			assertThat(times.hz()).isEqualTo(timerList.hz());
			// timer_list's tick is taken to begin when its reading ends: a reading the machine held puts it behind
			// by as many ticks as it was held.
			long held = Math.ceilDiv((at - reading) * timerList.hz(), 1_000_000_000L);
			assertThat(times.jiffiesAt(at)).as("times(2)'s tick against timer_list's, reading %d", i)
				.isBetween(timerList.jiffiesAt(at) - 3, timerList.jiffiesAt(at) + 3 + held);
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
			LongUnaryOperator jiffies = (nanoTime) -> initial + (nanoTime - start) / tickNanos;
			LongSupplier clockTicks = () -> Math.floorDiv(jiffies.applyAsLong(System.nanoTime()) * tickNanos,
					10_000_000L);
			KernelClock clock = KernelClock.fromClockTicks(clockTicks, 100, tickNanos).orElseThrow();
			assertThat(clock.hz()).isEqualTo(hz);
			long at = System.nanoTime();
			long truth = jiffies.applyAsLong(at);
			assertThat(clock.jiffiesAt(at)).as("at HZ %d", hz).isBetween(truth - 1, truth);
		}
	}

	/**
	 * A machine that holds the catching thread at every reading (a millisecond, at HZ 250) lets no tick's beginning
	 * be told to a quarter of a millisecond: the catch gives up rather than take one late.
	 */
	@Test
	void aThreadHeldAtEveryReadingCatchesNothing() {
		long tickNanos = 4_000_000;
		Ticks ticks = new Ticks(tickNanos, Hold.EVERY_READING);
		assertThat(KernelClock.fromClockTicks(ticks::clockTicks, 100, tickNanos)).isEmpty();
	}

	/**
	 * A thread held inside the reading of the old value while the clock ticks move, then reading again at once: the
	 * move is not taken for a quick one, so the tick caught begins no more than a quarter of a millisecond after the
	 * truth. At HZ 1000, with a millisecond held.
	 */
	@Test
	void aThreadHeldInsideAReadingAcrossAMoveDoesNotTakeItLate() {
		long tickNanos = 1_000_000;
		Ticks ticks = new Ticks(tickNanos, Hold.ONCE_ACROSS_A_MOVE);
		KernelClock clock = KernelClock.fromClockTicks(ticks::clockTicks, 100, tickNanos).orElseThrow();
		assertThat(ticks.heldAcrossAMove()).as("a reading was held across a move").isTrue();
		assertThat(clock.nanoTime() - ticks.beginningOf(clock.jiffies())).as("how late the caught tick begins (ns)")
			.isBetween(0L, 250_000L);
	}

	private enum Hold {

		/** Every reading. */
		EVERY_READING,

		/** The first reading made within half a millisecond before the clock ticks move. */
		ONCE_ACROSS_A_MOVE

	}

	/**
	 * A tick counter of known beginnings, read at USER_HZ 100, whose readings hold the reader for a millisecond as a
	 * machine that deschedules it would: after the counter is read, before the reading returns.
	 */
	private static final class Ticks {

		private static final long HOLD_NANOS = 1_000_000;

		private final long start = System.nanoTime();

		private final long initial = (1L << 32) - 300L * 250 + 123_456;

		private final long tickNanos;

		private final Hold hold;

		private boolean heldAcrossAMove;

		Ticks(long tickNanos, Hold hold) {
			this.tickNanos = tickNanos;
			this.hold = hold;
		}

		long clockTicks() {
			long at = System.nanoTime();
			long jiffies = this.initial + (at - this.start) / this.tickNanos;
			long clockTicks = Math.floorDiv(jiffies * this.tickNanos, 10_000_000L);
			long nextMove = beginningOf(Math.ceilDiv((clockTicks + 1) * 10_000_000L, this.tickNanos));
			boolean held = switch (this.hold) {
				case EVERY_READING -> true;
				case ONCE_ACROSS_A_MOVE -> !this.heldAcrossAMove && nextMove - at < HOLD_NANOS / 2;
			};
			if (held) {
				long heldUntil = at + HOLD_NANOS;
				while (System.nanoTime() < heldUntil) {
					Thread.onSpinWait();
				}
				this.heldAcrossAMove |= nextMove <= heldUntil;
			}
			return clockTicks;
		}

		long beginningOf(long jiffies) {
			return this.start + (jiffies - this.initial) * this.tickNanos;
		}

		boolean heldAcrossAMove() {
			return this.heldAcrossAMove;
		}

	}

	private static Optional<KernelClock> fromTimes() {
		return KernelClock.fromClockTicks(NativeTransport.clockTicks(), NativeTransport.clockTicksPerSecond(),
				NativeTransport.tickNanos());
	}

}
