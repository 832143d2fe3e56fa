package io.tcpresponder.kernel.bind;

/**
 * When the kernel's timer wheel runs a timer ({@code kernel/time/timer.c}): not at its expiry, but at the end of the
 * wheel's bucket that holds it. A timer armed far ahead goes to a coarse level of the wheel, whose buckets span
 * 8<sup>level</sup> ticks, and the wheel rounds its expiry up to the next bucket so that it never fires early. A
 * TIME_WAIT socket armed for 60 s at 250 ticks a second is at level 3: it goes away up to 2.048 s after the expiry that
 * {@code /proc/net/tcp} tells, and that is when a bind over it succeeds.
 */
final class TimerWheel {

	private static final int LEVEL_CLOCK_SHIFT = 3;

	private static final int LEVEL_SIZE = 64;

	private TimerWheel() {
	}

	/**
	 * The tick at which the wheel runs a timer.
	 * @param expires the tick the timer was armed for
	 * @param armedFor how many ticks ahead it was armed, which chooses the level
	 * @return the first tick at which it has run
	 */
	static long firesAt(long expires, long armedFor) {
		int shift = LEVEL_CLOCK_SHIFT * level(armedFor);
		return ((expires >> shift) + 1) << shift;
	}

	private static int level(long armedFor) {
		int level = 0;
		// Level n starts at LEVEL_START(n) = (LEVEL_SIZE - 1) << ((n - 1) * LEVEL_CLOCK_SHIFT).
		while (level < 8 && armedFor >= ((long) (LEVEL_SIZE - 1) << (level * LEVEL_CLOCK_SHIFT))) {
			level++;
		}
		return level;
	}

}
