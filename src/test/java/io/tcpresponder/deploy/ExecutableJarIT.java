package io.tcpresponder.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.tcpresponder.support.JvmLaunch;
import io.tcpresponder.support.JvmProcess;
import io.tcpresponder.support.TestJvm;
import io.tcpresponder.support.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged executable jar as {@code java -jar} runs it (after {@code package}, by maven-failsafe-plugin): its
 * manifest enables native access, so the responder runs on the native transport without the JVM's warning.
 */
class ExecutableJarIT {

	@TempDir
	Path dir;

	@Test
	void theJarEnablesNativeAccessAndStartsWithoutARestrictedMethodWarning() throws Exception {
		Path jar = executableJar();
		try (JarFile file = new JarFile(jar.toFile())) {
			assertThat(file.getManifest().getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
		}
		Path out = this.dir.resolve("stdout.txt");
		Path err = this.dir.resolve("stderr.txt");
		try (JvmProcess application = JvmLaunch
			.command(List.of(TestJvm.java(), "-jar", jar.toString(), "--server.port=0", "--responder.port=0"))
			.log(out)
			.errors(err)
			.start()) {
			String transport = Transports.isLinux() ? "native" : "nio";
			application.awaitLog("Started TcpResponderApplication");
			assertThat(application.log()).contains("TCP responder listening on")
				.contains(", " + transport + " transport; at most ");
			application.stop();
		}
		assertThat(read(err)).as("standard error").doesNotContain("restricted method").doesNotContain("WARNING");
	}

	/**
	 * The jar README.md and the pages under docs/ tell users to run is the one the build makes: a version change
	 * renames it.
	 */
	@Test
	void theJarTheDocsRunIsTheOneTheBuildMakes() throws IOException {
		Set<String> named = new TreeSet<>();
		List<Path> pages = new ArrayList<>(List.of(Repository.ROOT.resolve("README.md")));
		try (Stream<Path> docs = Files.list(Repository.ROOT.resolve("docs"))) {
			docs.filter((page) -> page.toString().endsWith(".md")).forEach(pages::add);
		}
		for (Path page : pages) {
			Matcher paths = Pattern.compile("target/(tcp-responder-[\\w.-]+\\.jar)")
				.matcher(Files.readString(page, StandardCharsets.UTF_8));
			while (paths.find()) {
				named.add(paths.group(1));
			}
		}
		assertThat(named).as("jars the docs run").containsExactly(executableJar().getFileName().toString());
	}

	private static Path executableJar() throws IOException {
		try (Stream<Path> files = Files.list(Repository.ROOT.resolve("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("tcp-responder-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No executable jar in target/: run mvn verify"));
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
