package io.tcpresponder.responder;

import java.util.Locale;

import org.junit.jupiter.api.Assumptions;

/**
 * The transports as tests load them: the native one is skipped, with the reason reported, only where it cannot run
 * at all (not Linux); anywhere else a transport that does not load fails the test.
 */
final class Transports {

	private Transports() {
	}

	static Transport load(TransportChoice choice) {
		if (choice == TransportChoice.NATIVE) {
			String os = System.getProperty("os.name");
			Assumptions.assumeTrue("linux".equals(os.toLowerCase(Locale.ROOT)),
					() -> "the native transport runs on Linux only, not " + os);
		}
		return choice.load();
	}

}
