package io.tcpresponder.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for tests that must know theirs before anything binds it: several listeners on one port, a port held on
 * one address before the responder binds the others.
 */
public final class Ports {

	private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

	private static final int LOWEST = 10_000;

	private Ports() {
	}

	/**
	 * A port that no socket on the machine uses, on any address and in any state, outside the ephemeral range: no
	 * connection or port-0 listener elsewhere on the machine takes it meanwhile.
	 * @return the port
	 */
	public static int unused() {
		int[] ephemeral = ephemeralRange();
		int below = Math.max(0, ephemeral[0] - LOWEST);
		int above = Math.max(0, 65_535 - ephemeral[1]);
		if (below + above == 0) {
			throw new IllegalStateException("No port outside the ephemeral range " + Arrays.toString(ephemeral));
		}
		for (int attempt = 0; attempt < 100; attempt++) {
			int pick = ThreadLocalRandom.current().nextInt(below + above);
			int port = (pick < below) ? LOWEST + pick : ephemeral[1] + 1 + pick - below;
			if (isUnused(port)) {
				return port;
			}
		}
		throw new IllegalStateException("No unused port outside the ephemeral range " + Arrays.toString(ephemeral));
	}

	private static boolean isUnused(int port) {
		// :: (dual-stack) with SO_REUSEADDR off overlaps every socket on the port: listening, connected, TIME_WAIT.
		try (ServerSocketChannel everyAddress = ServerSocketChannel.open()) {
			everyAddress.setOption(StandardSocketOptions.SO_REUSEADDR, false);
			everyAddress.bind(new InetSocketAddress(port));
			return true;
		}
		catch (BindException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int[] ephemeralRange() {
		try {
			// Lines, not Files.readString: a sysctl file answers nothing to a read at an offset.
			return Arrays.stream(Files.readAllLines(EPHEMERAL_RANGE).getFirst().strip().split("\\s+"))
				.mapToInt(Integer::parseInt)
				.toArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
