package io.tcpresponder.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test starts as a {@link JvmProcess}: the program (a command given whole, or a JVM of the tests' build with
 * its options, class path and main class), what runs it, its arguments, where it runs and where its output goes.
 */
public final class JvmLaunch {

	private final List<String> command;

	private final String mainClass;

	private final List<String> prefix = new ArrayList<>();

	private final List<String> jvmOptions = new ArrayList<>();

	private final List<String> arguments = new ArrayList<>();

	private String classPath;

	private Path directory;

	private Path log;

	private Path errors;

	private Path portFile;

	private int httpPort;

	private JvmLaunch(List<String> command, String mainClass) {
		this.command = command;
		this.mainClass = mainClass;
	}

	/**
	 * The application as {@link ApplicationMain} runs it, on ports that the kernel picks (port 0): the responder's is
	 * learnt from the log ({@link JvmProcess#awaitResponderPort}), the web server's from the port file that Spring Boot writes.
	 * @param directory where the process runs and keeps its log, {@code application.log}, and its port file
	 * @return what starts it; {@link #arguments} adds settings such as {@code --responder.message=...}
	 */
	public static JvmLaunch application(Path directory) {
		JvmLaunch launch = new JvmLaunch(null, ApplicationMain.class.getName());
		launch.directory = directory;
		launch.log = directory.resolve("application.log");
		launch.portFile = directory.resolve("http.port");
		// A small heap and C1 only: several of these JVMs run at once on a small machine, none of them for long.
		launch.jvmOptions.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
				"-D" + ApplicationMain.PORT_FILE + "=" + launch.portFile));
		launch.arguments.addAll(List.of("--server.port=0", "--responder.port=0", "--spring.security.user.password=x"));
		return launch;
	}

	/**
	 * Another main class, in a JVM of the tests' build, with the test class path unless {@link #classPath}
	 * gives another.
	 * @param mainClass the class whose {@code main} runs
	 * @return what starts it
	 */
	public static JvmLaunch mainClass(Class<?> mainClass) {
		return new JvmLaunch(null, mainClass.getName());
	}

	/**
	 * A command that the test gives whole: {@code java -jar}, the image's command.
	 * @param command the program and its arguments
	 * @return what starts it
	 */
	public static JvmLaunch command(List<String> command) {
		return new JvmLaunch(List.copyOf(command), null);
	}

	/**
	 * A command that runs the JVM, such as {@code strace -f -o trace.txt} or {@code setpriv --reuid=65534}.
	 * @param prefix the program and its arguments, before the JVM's
	 * @return this launch
	 */
	public JvmLaunch prefix(List<String> prefix) {
		this.prefix.addAll(prefix);
		return this;
	}

	/**
	 * Options of the JVM, before the main class.
	 * @param options such as {@code -Xmx128m}
	 * @return this launch
	 */
	public JvmLaunch jvmOptions(String... options) {
		this.jvmOptions.addAll(List.of(options));
		return this;
	}

	/**
	 * A class path in place of the test class path, such as one that another user can read.
	 * @param classPath the class path
	 * @return this launch
	 */
	public JvmLaunch classPath(String classPath) {
		this.classPath = classPath;
		return this;
	}

	/**
	 * Arguments after the main class's or the command's own.
	 * @param arguments such as {@code --responder.transport=nio}
	 * @return this launch
	 */
	public JvmLaunch arguments(String... arguments) {
		this.arguments.addAll(List.of(arguments));
		return this;
	}

	/**
	 * Where the process runs; the tests' working directory unless given.
	 * @param directory the working directory
	 * @return this launch
	 */
	public JvmLaunch directory(Path directory) {
		this.directory = directory;
		return this;
	}

	/**
	 * The file that gets the process's standard output, and its standard error unless {@link #errors} is given.
	 * @param log the file; its directories are created
	 * @return this launch
	 */
	public JvmLaunch log(Path log) {
		this.log = log;
		return this;
	}

	/**
	 * A file of its own for the process's standard error, for a test that checks what the JVM warns about there.
	 * @param errors the file
	 * @return this launch
	 */
	public JvmLaunch errors(Path errors) {
		this.errors = errors;
		return this;
	}

	/**
	 * The web server's port, where the test chose it ({@code --server.port=N}): {@link JvmProcess#awaitReady} asks it.
	 * @param port the port
	 * @return this launch
	 */
	public JvmLaunch httpPort(int port) {
		this.httpPort = port;
		return this;
	}

	/**
	 * Holds the application's startup with a {@link StartupGate} once the responder listens: the context stays
	 * starting as long as the process runs.
	 * @return this launch
	 */
	public JvmLaunch heldInStartup() {
		if (this.portFile == null) {
			throw new IllegalStateException("Only the application's startup can be held");
		}
		this.jvmOptions.add("-D" + ApplicationMain.HELD_IN_STARTUP + "=true");
		return this;
	}

	/**
	 * Starts the process.
	 * @return the running process
	 */
	public JvmProcess start() {
		if (this.log == null) {
			throw new IllegalStateException("Where the process's output goes: log(Path)");
		}
		if (this.command != null && (!this.jvmOptions.isEmpty() || this.classPath != null)) {
			throw new IllegalStateException(
					"JVM options and a class path are for a main class: a command is given whole");
		}
		List<String> full = new ArrayList<>(this.prefix);
		if (this.command != null) {
			full.addAll(this.command);
		}
		else {
			full.add(TestJvm.java());
			full.addAll(this.jvmOptions);
			full.add("-cp");
			full.add((this.classPath != null) ? this.classPath : TestJvm.classPath());
			full.add(this.mainClass);
		}
		full.addAll(this.arguments);
		ProcessBuilder builder = new ProcessBuilder(full).redirectOutput(this.log.toFile());
		if (this.errors != null) {
			builder.redirectError(this.errors.toFile());
		}
		else {
			builder.redirectErrorStream(true);
		}
		if (this.directory != null) {
			builder.directory(this.directory.toFile());
		}
		String name = (this.mainClass != null) ? this.mainClass : this.command.getFirst();
		try {
			Files.createDirectories(this.log.toAbsolutePath().getParent());
			long launched = System.nanoTime();
			return new JvmProcess(builder.start(), name, this.log, this.errors, this.portFile, this.httpPort, launched);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
