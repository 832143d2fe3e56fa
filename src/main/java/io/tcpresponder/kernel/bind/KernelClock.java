package io.tcpresponder.kernel.bind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The kernel's tick counter ({@code jiffies}) against the JVM's clock: how many ticks a second ({@code HZ}) and which
 * tick it was at a given {@link System#nanoTime()}, so that a kernel timer's expiry can be told as an instant.
 *
 * <p>
 * Any user may read it from {@code times(2)} ({@link #fromClockTicks}): the clock ticks it returns are the tick
 * counter scaled to {@code USER_HZ} and rounded down, and the resolution of {@code CLOCK_MONOTONIC_COARSE} is one tick.
 * Waiting for the clock ticks to move catches a tick as it begins, within a quarter of a millisecond, and the counter
 * it began is the smallest whose clock ticks are the new value; where the kernel counts up several ticks at once (a
 * core waking from idle), the counter is taken lower than it is, never higher.
 *
 * <p>
 * Root may also read {@code /proc/timer_list} ({@link #read()}): {@code now at N nsecs} is {@code CLOCK_MONOTONIC},
 * the clock {@link System#nanoTime()} reads on Linux, and {@code jiffies: J} the tick of that moment, a reading of the
 * file (a millisecond or more) apart. HZ is the one of the kernel's choices that fits the count since boot, which
 * starts 5 minutes' worth of ticks before 2^32 ({@code INITIAL_JIFFIES}).
 *
 * <p>
 * Either way the tick is taken to begin no earlier than it did, so that a time told from the clock is never early.
 *
 * @param hz the kernel's ticks per second ({@code CONFIG_HZ})
 * @param jiffies the tick counter at {@code nanoTime}
 * @param nanoTime the JVM's clock at that tick
 * @param source where the clock was read: {@value #TIMES} or {@value #TIMER_LIST}
 */
public record KernelClock(int hz, long jiffies, long nanoTime, String source) {

	/** The clock read from {@code times(2)} and {@code clock_getres(2)}, which any user may call. */
	public static final String TIMES = "times";

	/** The clock read from {@code /proc/timer_list}, which root alone may read. */
	public static final String TIMER_LIST = "timer_list";

	/** How many clock ticks a catch may take before it gives up. */
	private static final int CATCH_TICKS = 10;

	/** How long before the clock ticks' next move a catch stops sleeping and spins. */
	private static final long SPIN_AHEAD_NANOS = 1_000_000;

	/** A reading of the clock ticks that took longer than this may have missed the tick's beginning: read again. */
	private static final long QUICK_READ_NANOS = 250_000;

	private static final Log logger = LogFactory.getLog(KernelClock.class);

	private static final Pattern NOW = Pattern.compile("^now at (\\d+) nsecs$", Pattern.MULTILINE);

	private static final Pattern JIFFIES = Pattern.compile("^jiffies: (\\d+)$", Pattern.MULTILINE);

	/** The values Linux offers for {@code CONFIG_HZ}. */
	private static final int[] HZ_CHOICES = { 100, 250, 300, 1000 };

	private static final long TWO_TO_THE_32 = 1L << 32;

	/**
	 * The tick counter at a moment of the JVM's clock.
	 * @param nanoTime a reading of {@link System#nanoTime()}
	 * @return the tick counter then
	 */
	public long jiffiesAt(long nanoTime) {
		return this.jiffies + Math.floorDiv((nanoTime - this.nanoTime) * this.hz, 1_000_000_000L);
	}

	/**
	 * The moment of the JVM's clock when a tick begins.
	 * @param jiffies the tick counter
	 * @return the reading of {@link System#nanoTime()} then
	 */
	public long nanoTimeOf(long jiffies) {
		return this.nanoTime + Math.multiplyExact(jiffies - this.jiffies, 1_000_000_000L / this.hz);
	}

	/**
	 * Of two readings of the same clock, the one whose ticks begin earlier: each takes a tick to begin no earlier than
	 * it did, so that one is the nearer to the truth.
	 * @param other another reading, of the same HZ
	 * @return this reading or the other
	 */
	public KernelClock earlierOf(KernelClock other) {
		return (nanoTimeOf(other.jiffies) <= other.nanoTime) ? this : other;
	}

	/**
	 * The kernel's clock from its tick counter as {@code times(2)} tells it, caught as it moves: the calling thread
	 * spins for up to ten clock ticks (100 ms), on a busy machine until it catches one change without being descheduled;
	 * after a change it missed, it sleeps until a millisecond before the next.
	 * @param clockTicks reads the clock ticks since boot ({@code times(2)})
	 * @param clockTicksPerSecond the clock ticks a second, {@code USER_HZ}
	 * @param tickNanos the length of one kernel tick, {@code TICK_NSEC}
	 * @return the clock, or empty where the clock ticks did not move in that time
	 */
	public static Optional<KernelClock> fromClockTicks(LongSupplier clockTicks, long clockTicksPerSecond,
			long tickNanos) {
		long clockTickNanos = 1_000_000_000L / clockTicksPerSecond;
		int hz = (int) Math.round(1e9 / tickNanos);
		long deadline = System.nanoTime() + CATCH_TICKS * clockTickNanos;
		// The clock ticks moved after the last reading of the old value began and before this reading ended: the
		// JVM's clock is read before each reading and after it, so that a thread held inside a reading widens the gap.
		long before = System.nanoTime();
		long first = clockTicks.getAsLong();
		while (true) {
			long reading = System.nanoTime();
			long now = clockTicks.getAsLong();
			long at = System.nanoTime();
			if (now != first) {
				// times(2) is floor(jiffies * TICK_NSEC / (10^9 / USER_HZ)): the tick that began, between the last
				// reading of the old value and now, is the first of the new value.
				long jiffies = Math.ceilDiv(Math.multiplyExact(now, clockTickNanos), tickNanos);
				if (at - before > QUICK_READ_NANOS) {
					// The tick began somewhere in a gap too wide (the thread was descheduled): wait for the next. A
					// scheduler takes the core from a thread that spins at the tick, which is when the clock ticks
					// move; so the thread sleeps until shortly before the next move, and spins through it fresh
					// from a wake-up, which it is not preempted from at once.
					first = now;
					long nextMove = Math.ceilDiv(Math.multiplyExact(now + 1, clockTickNanos), tickNanos);
					long wakeAt = before + (nextMove - jiffies) * tickNanos - SPIN_AHEAD_NANOS;
					long sleep = Math.min(wakeAt, deadline) - System.nanoTime();
					if (sleep > 0) {
						LockSupport.parkNanos(sleep);
					}
				}
				else {
					return Optional.of(new KernelClock(hz, jiffies, at, TIMES));
				}
			}
			if (at > deadline) {
				return Optional.empty();
			}
			before = reading;
			Thread.onSpinWait();
		}
	}

	/**
	 * The kernel's clock, from {@code /proc/timer_list}.
	 * @return the clock, or empty where the file cannot be read or does not say it
	 */
	public static Optional<KernelClock> read() {
		return read(Path.of("/proc/timer_list"));
	}

	static Optional<KernelClock> read(Path timerList) {
		if (!Files.isReadable(timerList)) {
			return Optional.empty();
		}
		try {
			String text = Files.readString(timerList);
			return parse(text, System.nanoTime());
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Reading the kernel's clock from " + timerList + " failed", ex);
			return Optional.empty();
		}
	}

	/**
	 * The clock of a reading of {@code /proc/timer_list}. Its {@code jiffies} line is written after its {@code now}
	 * line, a tick or more later on a busy machine, so the tick is taken to begin when the reading ended: no later
	 * than the truth, so that a time told from it is never early.
	 * @param timerList the file's text
	 * @param readAt the {@link System#nanoTime()} when the reading ended
	 * @return the clock, or empty if the text does not say it
	 */
	static Optional<KernelClock> parse(String timerList, long readAt) {
		Matcher now = NOW.matcher(timerList);
		Matcher jiffies = JIFFIES.matcher(timerList);
		if (!now.find() || !jiffies.find()) {
			return Optional.empty();
		}
		long nanos = Long.parseLong(now.group(1));
		long ticks = Long.parseLong(jiffies.group(1));
		int best = 0;
		double bestError = Double.MAX_VALUE;
		for (int hz : HZ_CHOICES) {
			double sinceBoot = (ticks - (TWO_TO_THE_32 - 300L * hz)) / (double) hz;
			double error = Math.abs(sinceBoot - nanos / 1e9);
			if (error < bestError) {
				best = hz;
				bestError = error;
			}
		}
		// A tick counter that fits no choice within a minute is not one this reading can trust.
		return (bestError < 60) ? Optional.of(new KernelClock(best, ticks, readAt, TIMER_LIST)) : Optional.empty();
	}

}
