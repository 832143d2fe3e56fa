package io.tcpresponder.kernel.bind;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The kernel's clock from {@code times(2)}, caught for the first few verdicts and then kept. The tick counter moves
 * on a fixed grid of {@code CLOCK_MONOTONIC}, one tick every {@code TICK_NSEC} since boot ({@code
 * tick_do_update_jiffies64}), so a catch stays true for the life of the process; a catch errs only late (a thread
 * held while it caught, ticks counted in a burst), so the earliest grid of those caught is kept.
 *
 * <p>
 * A busy machine may keep a catch from succeeding at all, for a whole verdict: with a clock kept, such a verdict is
 * still told to a tick, where otherwise it would fall back on {@code /proc/timer_list}, which root alone may read,
 * and which a busy machine makes late by as long as it holds the reading.
 */
public final class CaughtClock implements Supplier<Optional<KernelClock>> {

	/** How many catches are made before the kept clock is used alone: each costs a spin of up to a clock tick. */
	static final int CATCHES = 3;

	private final Supplier<Optional<KernelClock>> catcher;

	private @Nullable KernelClock kept;

	private int caught;

	/**
	 * A clock kept from the given catches.
	 * @param catcher catches the clock as its ticks move, such as {@link KernelClock#fromClockTicks}
	 */
	public CaughtClock(Supplier<Optional<KernelClock>> catcher) {
		this.catcher = catcher;
	}

	/**
	 * Catches in the background, a pause apart, until every catch is made or the tries run out, so that the first
	 * verdicts find the clock kept: a catch made as a verdict needs it may meet a busy moment (a JVM just started and
	 * compiling, a machine under load), and a verdict then waits for it. The thread is a daemon and ends by itself.
	 * @param pause how long to wait before each try
	 * @param tries how many tries to make at most
	 * @return this clock
	 */
	public CaughtClock catchAhead(Duration pause, int tries) {
		Thread.ofPlatform().name("kernel-clock-catch").daemon().start(() -> {
			for (int i = 0; i < tries && !complete(); i++) {
				LockSupport.parkNanos(pause.toNanos());
				get();
			}
		});
		return this;
	}

	private synchronized boolean complete() {
		return this.caught >= CATCHES;
	}

	@Override
	public synchronized Optional<KernelClock> get() {
		if (!complete()) {
			Optional<KernelClock> clock = this.catcher.get();
			if (clock.isPresent()) {
				this.caught++;
				KernelClock kept = this.kept;
				this.kept = (kept != null) ? kept.earlierOf(clock.get()) : clock.get();
			}
		}
		return Optional.ofNullable(this.kept);
	}

}
