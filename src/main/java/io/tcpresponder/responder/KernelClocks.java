package io.tcpresponder.responder;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.tcpresponder.kernel.bind.CaughtClock;
import io.tcpresponder.kernel.bind.KernelClock;
import io.tcpresponder.transport.TransportUnavailableException;
import io.tcpresponder.transport.linux.NativeTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Where the bind oracle reads the kernel's clock, chosen once at start: from {@code times(2)}, which any user may
 * call, where native access allows it, caught ahead of the first verdicts in the seconds after the start; else from
 * {@code /proc/timer_list}, which root alone may read; with neither, {@code freeAt} is the latest moment the kernel's
 * timer wheel may take at any HZ.
 */
public final class KernelClocks {

	private static final Log logger = LogFactory.getLog(KernelClocks.class);

	/** Between the catches made ahead of the verdicts: past the busiest part of a start, and a busy moment after. */
	private static final Duration CATCH_PAUSE = Duration.ofSeconds(1);

	/** The catches made ahead at most: a failed one costs a spin of 100 ms. */
	private static final int CATCH_TRIES = 10;

	private KernelClocks() {
	}

	/**
	 * Chooses the clock of this host, saying why when it is not {@code times(2)}.
	 * @return what reads the clock, each time a verdict needs it
	 */
	public static Supplier<Optional<KernelClock>> choose() {
		try {
			LongSupplier clockTicks = NativeTransport.clockTicks();
			long perSecond = NativeTransport.clockTicksPerSecond();
			long tickNanos = NativeTransport.tickNanos();
			CaughtClock caught = new CaughtClock(() -> KernelClock.fromClockTicks(clockTicks, perSecond, tickNanos))
				.catchAhead(CATCH_PAUSE, CATCH_TRIES);
			return () -> caught.get().or(KernelClock::read);
		}
		catch (TransportUnavailableException ex) {
			logger.info("The bind verdict reads the kernel's clock from /proc/timer_list, which root alone may read, "
					+ "since times(2) cannot be called: " + ex.getMessage());
			return KernelClock::read;
		}
	}

}
