package io.tcpresponder.startup;

import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The training run's guard: it makes a cache only for an image whose base is the JVM build that trains it.
 */
class AotTrainingTests {

	private static final String HERE = Runtime.version()
		.version()
		.stream()
		.map(String::valueOf)
		.collect(Collectors.joining(".")) + Runtime.version().build().map((build) -> "_" + build).orElse("");

	@Test
	void acceptsTheTemurinJdkImageOfThisBuild() {
		assumeTrue("Eclipse Adoptium".equals(System.getProperty("java.vendor")), "the tests run on Temurin's JDK");
		assertThatNoException().isThrownBy(() -> AotTraining.checkSameBuild("eclipse-temurin:" + HERE + "-jdk-noble"));
	}

	@Test
	void refusesTheJreImageOfTheSameBuild() {
		assertThatIllegalStateException()
			.isThrownBy(() -> AotTraining.checkSameBuild("eclipse-temurin:" + HERE + "-jre-noble"))
			.withMessageContaining("loads only into the JVM build that wrote it");
	}

	@Test
	void refusesAnotherBuild() {
		String next = HERE.replaceAll("_\\d+$", "") + "_" + (Runtime.version().build().orElse(0) + 1);
		assertThatIllegalStateException()
			.isThrownBy(() -> AotTraining.checkSameBuild("eclipse-temurin:" + next + "-jdk-noble"))
			.withMessageContaining("eclipse-temurin:" + HERE + "-jdk-*");
	}

}
