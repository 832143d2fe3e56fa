package io.tcpresponder.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Prometheus' promtool, from Debian's prometheus package (see {@link Tools}).
 */
public final class Promtool {

	public static final Path PATH = Path.of("/usr/bin/promtool");

	private Promtool() {
	}

	public static void assumeInstalled() {
		Tools.assumeInstalled(PATH, "prometheus");
	}

	/**
	 * Runs promtool with the given arguments.
	 * @param arguments the arguments
	 * @return its exit code and output
	 */
	public static Result run(String... arguments) throws IOException, InterruptedException {
		return runWithInput("", arguments);
	}

	/**
	 * Runs promtool with the given arguments and standard input.
	 * @param input what promtool reads from standard input
	 * @param arguments the arguments
	 * @return its exit code and output
	 */
	public static Result runWithInput(String input, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(PATH.toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try (var stdin = process.getOutputStream()) {
			stdin.write(input.getBytes(StandardCharsets.UTF_8));
		}
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail("promtool did not finish within 60s");
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	public record Result(int exitCode, String output) {
	}

}
