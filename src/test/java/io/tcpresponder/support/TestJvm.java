package io.tcpresponder.support;

import java.nio.file.Path;

/**
 * The JVM that runs the tests, as the JVMs they start need it: its launcher and its class path. Whether it runs on
 * Linux is {@link Transports#isLinux()}.
 */
public final class TestJvm {

	private TestJvm() {
	}

	/**
	 * The {@code java} launcher of the JVM that runs the tests: a JVM started with it is the same build.
	 * @return its path
	 */
	public static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * The test class path: the project's classes, the test classes and every dependency. Surefire's fork may run on a
	 * manifest-only jar, whose {@code java.class.path} is that jar alone, so Surefire's own property comes first.
	 * @return the class path, as {@code -cp} takes it
	 */
	public static String classPath() {
		return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
	}

}
