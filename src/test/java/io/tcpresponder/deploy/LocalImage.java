package io.tcpresponder.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The service's image in podman's local store, as {@code deploy/local-image.sh} builds it for the checked-out
 * sources: built once per test run, and kept when the store already holds it for the same sources.
 */
final class LocalImage {

	/** The name the chart's image values give: registry {@code localhost}, repository {@code tcp-responder}. */
	static final String NAME = "localhost/tcp-responder";

	static final Path LOG = Repository.ROOT.resolve("target/local-image/build.log");

	/** Bounds a build on a busy machine, Maven and the AOT training run included: a failure, not a speed claim. */
	private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

	private static Duration buildTime;

	private LocalImage() {
	}

	/**
	 * Builds the image unless the store has it for these sources.
	 * @return how long the build took
	 */
	static synchronized Duration build() {
		if (buildTime == null) {
			try {
				Files.createDirectories(LOG.getParent());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			long start = System.nanoTime();
			Podman.Result result = Podman.exec(
					List.of("bash", Repository.ROOT.resolve("deploy/local-image.sh").toString(), "--if-changed"),
					BUILD_TIMEOUT, LOG);
			if (result.exitCode() != 0) {
				throw new AssertionError("deploy/local-image.sh exited with " + result.exitCode() + ", see " + LOG
						+ ":\n" + tail(result.output()));
			}
			buildTime = Duration.ofNanos(System.nanoTime() - start);
		}
		return buildTime;
	}

	private static String tail(String output) {
		List<String> lines = output.lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

}
