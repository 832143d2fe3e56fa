package io.tcpresponder.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Prometheus' promtool (Debian package prometheus). Tests that need it are skipped where it is missing, except on CI
 * (environment CI=true), where a missing promtool fails them.
 */
final class Promtool {

	static final Path PATH = Path.of("/usr/bin/promtool");

	private Promtool() {
	}

	static void assumeInstalled() {
		if (Files.isExecutable(PATH)) {
			return;
		}
		if ("true".equals(System.getenv("CI"))) {
			fail(PATH + " is missing: CI must install it (Debian package prometheus)");
		}
		Assumptions.abort(PATH + " is missing (install the Debian package prometheus): promtool check skipped");
	}

	static Result run(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(PATH.toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail("promtool did not finish within 60s");
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	record Result(int exitCode, String output) {
	}

}
