package io.tcpresponder.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's table of TCP sockets, read with {@code ss} from iproute2, as an operator would: an independent
 * witness of what the responder did to its port.
 */
public final class KernelSockets {

	private static final Path SS = Path.of("/usr/bin/ss");

	private KernelSockets() {
	}

	/**
	 * Skips the calling test where {@code ss} is missing, except on CI, where it must be installed.
	 */
	public static void assumeAvailable() {
		Tools.assumeInstalled(SS, "iproute2");
	}

	/**
	 * Counts the sockets in a state whose local port is the given one: the server's side of its connections.
	 * @param state a state filter of ss, such as {@code time-wait} or {@code listening}
	 * @param port the local port
	 * @return the number of such sockets
	 */
	public static long count(String state, int port) {
		return count(state, "sport", port);
	}

	/**
	 * Counts the sockets in a state whose remote port is the given one: the clients' side of their connections.
	 * @param state a state filter of ss, such as {@code time-wait}
	 * @param port the remote port
	 * @return the number of such sockets
	 */
	public static long countToPort(String state, int port) {
		return count(state, "dport", port);
	}

	private static long count(String state, String portFilter, int port) {
		try {
			Process process = new ProcessBuilder(SS.toString(), "-H", "-t", "-a", "-n", "state", state, portFilter, "=",
					":" + port)
				.redirectErrorStream(true)
				.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("ss failed: " + out);
			}
			return out.lines().filter((line) -> !line.isBlank()).count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
