package io.tcpresponder.kernel.bind;

import java.util.Optional;
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

	@Override
	public synchronized Optional<KernelClock> get() {
		if (this.caught < CATCHES) {
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
