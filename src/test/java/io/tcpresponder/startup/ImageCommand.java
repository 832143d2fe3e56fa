package io.tcpresponder.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpresponder.support.JvmLaunch;
import io.tcpresponder.support.TestJvm;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container image's own command, its entrypoint, run on the image's {@code /app} tree as {@code mvn -Paot package}
 * unpacks it into {@code target/aot/root}: the same files, jars and JVM flags, with every {@code /app/} path mapped
 * onto that tree and this JVM in place of the image's {@code java}.
 */
final class ImageCommand {

	/** What the image's {@code -Paot} build leaves, relative to the project (where Maven runs). */
	static final Path AOT = Path.of("target", "aot");

	/** The chart's memory limit ({@code resources.limits.memory}), which the image's JVM sees as its machine's. */
	static final String CONTAINER_MEMORY = "-XX:MaxRAM=512m";

	private static final String CACHE_FLAG = "-XX:AOTCache=";

	private static final Pattern IMAGE_PATH = Pattern.compile("(^|[=:])/app/");

	private final Path app;

	private final List<String> entrypoint;

	private ImageCommand(Path app, List<String> entrypoint) {
		this.app = app;
		this.entrypoint = entrypoint;
	}

	/**
	 * Reads the image's entrypoint from the image configuration that Jib wrote.
	 * @param aot the directory the {@code aot} profile builds, {@code target/aot}
	 * @return the command
	 */
	static ImageCommand of(Path aot) {
		Path config = aot.resolve("image/config.json");
		if (!Files.exists(config)) {
			throw new IllegalStateException(config + " is missing: build the image's tree with mvn -Paot package");
		}
		JsonNode entrypoint = JsonMapper.builder().build().readTree(config.toFile()).path("config").path("Entrypoint");
		List<String> command = new ArrayList<>();
		entrypoint.forEach((arg) -> command.add(arg.asString()));
		return new ImageCommand(aot.resolve("root/app").toAbsolutePath(), command);
	}

	/**
	 * Where the image's AOT cache is on this machine.
	 * @return the local path of {@code -XX:AOTCache}
	 */
	Path cache() {
		return Path.of(local(this.entrypoint.stream()
			.filter((arg) -> arg.startsWith(CACHE_FLAG))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("The image's command has no " + CACHE_FLAG))
			.substring(CACHE_FLAG.length())));
	}

	/**
	 * The image's command as it runs here.
	 * @param jvmOptions options added before the image's own
	 * @return this JVM, the options, then the image's arguments
	 */
	List<String> command(List<String> jvmOptions) {
		List<String> command = new ArrayList<>();
		command.add(TestJvm.java());
		command.add(CONTAINER_MEMORY);
		command.addAll(jvmOptions);
		for (String arg : this.entrypoint.subList(1, this.entrypoint.size())) {
			command.add(arg.startsWith("@") ? local(read(Path.of(local(arg.substring(1))))) : local(arg));
		}
		return command;
	}

	/**
	 * The image's command with the training run's options: the JVM writes the AOT cache, where the image reads it,
	 * when the process ends.
	 * @return the command
	 */
	List<String> trainingCommand() {
		List<String> command = command(List.of());
		command.replaceAll((arg) -> arg.startsWith(CACHE_FLAG) ? "-XX:AOTCacheOutput=" + cache() : arg);
		return command;
	}

	/**
	 * One of the image's commands ({@link #command}, {@link #trainingCommand}) as the service, run in the image's
	 * working directory on the given ports: free ones, as a container's are, since the image's {@code main} writes no
	 * port file that port 0 would need. Its readiness group holds the responder's health: ready, it serves the line.
	 * @param command the command
	 * @param tcpPort the responder's port
	 * @param httpPort the web server's port
	 * @return what starts it; {@link JvmLaunch#log} is still to be given
	 */
	JvmLaunch service(List<String> command, int tcpPort, int httpPort) {
		return JvmLaunch.command(command)
			.directory(this.app)
			.httpPort(httpPort)
			.arguments("--responder.port=" + tcpPort, "--server.port=" + httpPort);
	}

	private String local(String text) {
		return IMAGE_PATH.matcher(text).replaceAll((match) -> Matcher.quoteReplacement(match.group(1) + this.app + "/"));
	}

	private static String read(Path argumentFile) {
		try {
			return Files.readString(argumentFile).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
