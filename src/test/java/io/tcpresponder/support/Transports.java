package io.tcpresponder.support;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.transport.Transport;
import org.junit.jupiter.api.Assumptions;

/**
 * The transports the tests run on: every transport that {@link TransportChoice} registers, so that a new one is
 * tested wherever the others are. Loaded as tests load them: the native one is skipped, with the reason reported,
 * only where it cannot run at all (not Linux); anywhere else a transport that does not load fails the test.
 */
public final class Transports {

	private Transports() {
	}

	/**
	 * Every transport by name, {@code auto} left out: what {@link EachTransport} runs a class on.
	 * @return the transports
	 */
	public static Stream<TransportChoice> each() {
		return Arrays.stream(TransportChoice.values()).filter((choice) -> choice != TransportChoice.AUTO);
	}

	/**
	 * Loads a transport for a test.
	 * @param choice the transport
	 * @return the transport
	 */
	public static Transport load(TransportChoice choice) {
		if (choice == TransportChoice.NATIVE) {
			Assumptions.assumeTrue(isLinux(), () -> "the native transport runs on Linux only, not " + os());
		}
		return choice.load();
	}

	/**
	 * Whether the tests run on Linux, where the native transport and the kernel's tables are.
	 * @return whether they do
	 */
	public static boolean isLinux() {
		return "linux".equals(os().toLowerCase(Locale.ROOT));
	}

	private static String os() {
		return System.getProperty("os.name");
	}

}
