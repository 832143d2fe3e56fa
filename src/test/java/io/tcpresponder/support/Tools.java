package io.tcpresponder.support;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Programs from Debian's packages that tests run. A test that needs a missing one is skipped, except on CI
 * (environment CI=true), where {@code .ci/run} installs them and a missing one fails the test.
 */
public final class Tools {

	private Tools() {
	}

	/**
	 * Skips the calling test, or fails it on CI, where the program (or a module a program loads) is missing.
	 * @param program the program's path, or the module's
	 * @param debianPackage the Debian package that installs it
	 */
	public static void assumeInstalled(Path program, String debianPackage) {
		if (Files.isRegularFile(program)) {
			return;
		}
		String message = program + " is missing: install Debian's " + debianPackage + " package";
		if ("true".equals(System.getenv("CI"))) {
			fail(message + " (CI must install it)");
		}
		Assumptions.abort(message);
	}

}
