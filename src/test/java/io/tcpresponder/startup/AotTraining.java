package io.tcpresponder.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.JvmProcess;
import io.tcpresponder.support.LocalPorts;

/**
 * The training run behind the image's AOT cache ({@code mvn -Paot package}): runs the image's own command on its
 * {@code /app} tree with {@code -XX:AOTCacheOutput}, does what a real start and its first minutes do (the context, the
 * probes, scrapes, actuator reads, a refused restart, TCP clients), and stops it with SIGTERM; the JVM then writes the
 * classes it loaded and linked, and the profiles of the methods that ran, where the image's {@code -XX:AOTCache}
 * reads them. A check run of the image's command follows, and the build fails unless the service's classes come from
 * the cache.
 *
 * <p>
 * usage: {@code AotTraining target/aot eclipse-temurin:25.0.3_9-jdk-noble} (the image's tree and its base image)
 */
public final class AotTraining {

	private static final Pattern TEMURIN_JDK = Pattern.compile("eclipse-temurin:(\\d+(?:\\.\\d+)*_\\d+)-jdk-.+");

	private static final List<String> READS = List.of("/actuator/health/liveness", "/actuator/health/readiness",
			"/actuator/health", "/actuator/responder", "/actuator/prometheus", "/actuator/metrics",
			"/actuator/metrics/responder.connections.accepted", "/actuator/info", "/actuator");

	private AotTraining() {
	}

	public static void main(String[] args) throws IOException {
		Path aot = Path.of(args[0]);
		checkSameBuild(args[1]);
		ImageCommand image = ImageCommand.of(aot);
		Path cache = image.cache();
		Files.deleteIfExists(cache);
		int tcpPort = LocalPorts.free();
		try (JvmProcess service = image.service(image.trainingCommand(), tcpPort, LocalPorts.free())
			.log(aot.resolve("training.log"))
			.start()) {
			exercise(service.awaitReady(), tcpPort);
			service.stop();
		}
		if (!Files.exists(cache)) {
			throw new IllegalStateException("The training run wrote no AOT cache, see " + aot.resolve("training.log"));
		}
		ClassLoading loading = check(image, aot);
		System.out.printf("AOT cache %s: %.1f MiB; the image's command loads %s%n", cache, Files.size(cache) / 1048576.0,
				loading);
	}

	/**
	 * What Kubernetes, Prometheus, operators and clients do to a new pod, a few times over.
	 */
	private static void exercise(Actuator actuator, int tcpPort) {
		for (int round = 0; round < 20; round++) {
			for (String path : READS) {
				require(actuator.get(path).statusCode() == 200, "GET " + path);
			}
			require(actuator.post("/actuator/responder/restart", "").statusCode() == 401, "anonymous restart refused");
			for (int connection = 0; connection < 50; connection++) {
				require(Clients.fetch(tcpPort).endsWith("\n"), "a TCP client gets the line");
			}
		}
	}

	/**
	 * Runs the image's command once more, logging where its classes come from.
	 */
	private static ClassLoading check(ImageCommand image, Path aot) {
		Path log = aot.resolve("check-class-load.log");
		try (JvmProcess service = image.service(image.command(List.of(ClassLoading.option(log))), LocalPorts.free(),
				LocalPorts.free())
			.log(aot.resolve("check.log"))
			.start()) {
			service.awaitReady();
			service.stop();
			String refused = service.log()
				.lines()
				.filter((line) -> line.contains("[warning][aot") || line.contains("[error][aot"))
				.collect(Collectors.joining("\n"));
			require(refused.isEmpty(), "the JVM takes the AOT cache without a warning:\n" + refused);
		}
		ClassLoading loading = ClassLoading.read(log);
		require(!loading.serviceFromCache().isEmpty(), "the service's classes come from the AOT cache: " + loading);
		return loading;
	}

	/**
	 * The JVM loads an AOT cache only if it is the build that wrote it, with the same runtime image ({@code lib/modules},
	 * checked by size): the image's base must be this JDK, Temurin's, of the same version and build, and a JDK rather
	 * than a JRE, whose runtime image holds fewer modules.
	 */
	static void checkSameBuild(String baseImage) {
		Runtime.Version version = Runtime.version();
		String here = version.version().stream().map(String::valueOf).collect(Collectors.joining("."))
				+ version.build().map((build) -> "_" + build).orElse("");
		Matcher base = TEMURIN_JDK.matcher(baseImage);
		boolean temurin = "Eclipse Adoptium".equals(System.getProperty("java.vendor"));
		boolean jdk = Files.isExecutable(Path.of(System.getProperty("java.home"), "bin", "javac"));
		if (!base.matches() || !base.group(1).equals(here) || !temurin || !jdk) {
			throw new IllegalStateException("The AOT cache loads only into the JVM build that wrote it: the image's base "
					+ baseImage + " must be this JDK, eclipse-temurin:" + here + "-jdk-*, but the training runs on "
					+ System.getProperty("java.vendor") + " " + version + " at " + System.getProperty("java.home"));
		}
	}

	private static void require(boolean condition, String what) {
		if (!condition) {
			throw new IllegalStateException("Training run: expected " + what);
		}
	}

}
