package io.tcpresponder.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The podman command, with the project's {@code deploy/podman/containers.conf} (runc, cgroupfs, ulimits that a
 * sandboxed machine allows, catatonit for the infra container), as {@code deploy/local-image.sh} and docs/deploy.md
 * run it.
 */
final class Podman {

	static final Path CONTAINERS_CONF = Repository.ROOT.resolve("deploy/podman/containers.conf");

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private Podman() {
	}

	/**
	 * Skips the calling test where podman is not installed; on CI, which installs it, fails instead.
	 */
	static void assumeInstalled() {
		boolean installed = Files.isExecutable(Path.of("/usr/bin/podman"));
		if (!installed && System.getenv("CI") != null) {
			throw new AssertionError("CI installs podman (.ci/run), but /usr/bin/podman is not there");
		}
		Assumptions.assumeTrue(installed, "podman is not installed (Debian: apt-get install podman runc catatonit)");
	}

	/**
	 * Runs podman and returns what it printed.
	 * @param arguments podman's arguments
	 * @return its standard output
	 * @throws AssertionError if podman fails, with what it said
	 */
	static String run(String... arguments) {
		Result result = tryRun(TIMEOUT, arguments);
		if (result.exitCode() != 0) {
			throw new AssertionError("podman " + String.join(" ", arguments) + " exited with " + result.exitCode()
					+ ":\n" + result.output());
		}
		return result.output().strip();
	}

	/**
	 * Runs podman, whatever it answers.
	 * @param timeout how long it may take
	 * @param arguments podman's arguments
	 * @return its exit code and output (standard output and error together)
	 */
	static Result tryRun(Duration timeout, String... arguments) {
		List<String> command = new ArrayList<>(List.of("podman"));
		command.addAll(List.of(arguments));
		return exec(command, timeout);
	}

	/**
	 * Runs a program with podman's settings in its environment (a script that calls podman).
	 * @param command the program and its arguments
	 * @param timeout how long it may take
	 * @param log where its output goes
	 * @return its exit code and output
	 */
	static Result exec(List<String> command, Duration timeout, Path log) {
		return exec(command, Map.of(), timeout, log);
	}

	/**
	 * Runs a program with podman's settings and the given variables in its environment.
	 * @param command the program and its arguments
	 * @param environment variables to add
	 * @param timeout how long it may take
	 * @param log where its output goes
	 * @return its exit code and output
	 */
	static Result exec(List<String> command, Map<String, String> environment, Duration timeout, Path log) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		builder.environment().put("CONTAINERS_CONF", CONTAINERS_CONF.toString());
		try {
			Process process = builder.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(command + " took longer than " + timeout + ", see " + log);
			}
			return new Result(process.exitValue(), Files.readString(log));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Result exec(List<String> command, Duration timeout) {
		try {
			Path log = Files.createTempFile("podman-", ".log");
			try {
				return exec(command, timeout, log);
			}
			finally {
				Files.deleteIfExists(log);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Writes a file for podman to read.
	 * @param directory where
	 * @param name the file's name
	 * @param text its content
	 * @return the file
	 */
	static Path write(Path directory, String name, String text) {
		try {
			return Files.writeString(directory.resolve(name), text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record Result(int exitCode, String output) {
	}

}
