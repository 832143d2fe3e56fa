package io.tcpresponder.transport.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import io.tcpresponder.transport.ErrnoException;

/**
 * The kernel's tick counter as any user may read it: {@code times(2)} returns it in clock ticks
 * ({@code jiffies_64 * TICK_NSEC / (10^9 / USER_HZ)}, rounded down), and the resolution of
 * {@code CLOCK_MONOTONIC_COARSE} is one kernel tick ({@code TICK_NSEC}). {@code /proc/timer_list}, which tells the
 * counter itself, is readable by root only.
 */
final class NativeClock {

	/** {@code CLOCK_MONOTONIC_COARSE}: the monotonic clock as of the last tick, whose resolution is a tick. */
	private static final int CLOCK_MONOTONIC_COARSE = 6;

	/** {@code _SC_CLK_TCK}: the clock ticks a second of {@code times(2)}, {@code USER_HZ}. */
	private static final int SC_CLK_TCK = 2;

	private static final MethodHandle TIMES = Libc.checkedDowncall("times",
			FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

	private static final MethodHandle CLOCK_GETRES = Libc.checkedDowncall("clock_getres",
			FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

	private static final MethodHandle SYSCONF = Libc.checkedDowncall("sysconf",
			FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

	private NativeClock() {
	}

	/**
	 * The clock ticks since boot that {@code times(2)} returns.
	 * @return the clock ticks
	 * @throws ErrnoException if the call fails
	 */
	static long clockTicks() throws ErrnoException {
		try {
			return (long) TIMES.invokeExact(Libc.state(), MemorySegment.NULL);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	/**
	 * The clock ticks a second of {@code times(2)}.
	 * @return {@code USER_HZ}, 100 on Linux
	 * @throws ErrnoException if the call fails
	 */
	static long clockTicksPerSecond() throws ErrnoException {
		try {
			return (long) SYSCONF.invokeExact(Libc.state(), SC_CLK_TCK);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	/**
	 * The length of one kernel tick.
	 * @return {@code TICK_NSEC}, such as 4,000,000 at {@code HZ=250}
	 * @throws ErrnoException if the call fails
	 */
	static long tickNanos() throws ErrnoException {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment timespec = arena.allocate(16, 8);
			int result = (int) CLOCK_GETRES.invokeExact(Libc.state(), CLOCK_MONOTONIC_COARSE, timespec);
			return timespec.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + timespec.get(ValueLayout.JAVA_LONG, 8);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

}
