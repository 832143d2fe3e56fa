package io.tcpresponder.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import io.tcpresponder.support.Tools;

/**
 * Debian's Prometheus server, for tests that start one.
 */
final class PrometheusTools {

	static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

	private PrometheusTools() {
	}

	static void assumeInstalled() {
		Tools.assumeInstalled(PROMETHEUS, "prometheus");
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
