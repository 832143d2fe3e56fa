package io.tcpresponder.metrics;

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

}
