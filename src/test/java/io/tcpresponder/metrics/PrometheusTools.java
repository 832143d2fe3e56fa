package io.tcpresponder.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Prometheus binaries. Tests that need them skip where they are missing, except on CI, where
 * {@code .ci/run} installs them and a missing binary fails the test.
 */
final class PrometheusTools {

	static final Path PROMTOOL = Path.of("/usr/bin/promtool");

	static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

	private PrometheusTools() {
	}

	static void assumeInstalled(Path binary) {
		if (!Files.isExecutable(binary)) {
			String message = binary + " is missing: install Debian's prometheus package (apt-get install prometheus)";
			if ("true".equals(System.getenv("CI"))) {
				throw new IllegalStateException(message);
			}
			Assumptions.abort(message);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
