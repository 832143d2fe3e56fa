package io.tcpresponder.responder;

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
 * call, where native access allows it, else from {@code /proc/timer_list}, which root alone may read; with neither,
 * {@code freeAt} is the latest moment the kernel's timer wheel may take at any HZ.
 */
public final class KernelClocks {

	private static final Log logger = LogFactory.getLog(KernelClocks.class);

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
			CaughtClock caught = new CaughtClock(() -> KernelClock.fromClockTicks(clockTicks, perSecond, tickNanos));
			return () -> caught.get().or(KernelClock::read);
		}
		catch (TransportUnavailableException ex) {
			logger.info("The bind verdict reads the kernel's clock from /proc/timer_list, which root alone may read, "
					+ "since times(2) cannot be called: " + ex.getMessage());
			return KernelClock::read;
		}
	}

}
