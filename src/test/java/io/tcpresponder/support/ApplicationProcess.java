package io.tcpresponder.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpresponder.TcpResponderApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application in a JVM of its own, as an operator runs it, for what only a process shows: signals, the JVM's
 * shutdown, exit codes. Both ports are picked by the kernel (port 0) and learnt from the process: the responder's
 * from its log, the web server's from the port file that Spring Boot's {@link WebServerPortFileWriter} writes.
 */
public final class ApplicationProcess implements AutoCloseable {

	private static final Pattern LISTENING = Pattern.compile("TCP responder listening on \\S+ port (\\d+) ");

	/** Bounds a wait for the process to start; a failure, not a speed claim. */
	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	private final Process process;

	private final Path log;

	private final Path portFile;

	private final long launchedNanos;

	private ApplicationProcess(Process process, Path log, Path portFile, long launchedNanos) {
		this.process = process;
		this.log = log;
		this.portFile = portFile;
		this.launchedNanos = launchedNanos;
	}

	/**
	 * Launches the application with the test classpath.
	 * @param directory where the process runs and keeps its log and port file
	 * @param arguments more command line arguments, such as {@code --responder.message=...}
	 * @return the running process
	 * @throws IOException if the JVM cannot be launched
	 */
	public static ApplicationProcess launch(Path directory, String... arguments) throws IOException {
		return launch(directory, false, arguments);
	}

	/**
	 * Launches the application with the test classpath, its startup held by a {@link StartupGate} once the responder
	 * listens: the context stays starting as long as the process runs.
	 * @param directory where the process runs and keeps its log and port file
	 * @param arguments more command line arguments, such as {@code --responder.message=...}
	 * @return the running process
	 * @throws IOException if the JVM cannot be launched
	 */
	public static ApplicationProcess launchHeldInStartup(Path directory, String... arguments) throws IOException {
		return launch(directory, true, arguments);
	}

	/**
	 * Starts a process that the test builds itself (another main class, {@code java -jar}, a JVM under strace); like
	 * the application launched, it is killed on close if it still runs. It has no port file.
	 * @param command the process, its output redirected as the test needs
	 * @param log the file that {@link #log()} reads
	 * @return the running process
	 * @throws IOException if the process cannot be started
	 */
	public static ApplicationProcess start(ProcessBuilder command, Path log) throws IOException {
		long started = System.nanoTime();
		return new ApplicationProcess(command.start(), log, null, started);
	}

	/**
	 * The {@code java} launcher of the JVM that runs the tests.
	 * @return its path
	 */
	public static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static ApplicationProcess launch(Path directory, boolean held, String... arguments) throws IOException {
		Path log = directory.resolve("application.log");
		Path portFile = directory.resolve("http.port");
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
				"--enable-native-access=ALL-UNNAMED", "-D" + Main.PORT_FILE + "=" + portFile, "-D" + Main.HELD_IN_STARTUP + "=" + held, "-cp", System.getProperty("java.class.path"),
				Main.class.getName(), "--server.port=0", "--responder.port=0", "--spring.security.user.password=x"));
		command.addAll(List.of(arguments));
		long launched = System.nanoTime();
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new ApplicationProcess(process, log, portFile, launched);
	}

	/**
	 * Waits until the responder listens, as its log says.
	 * @return the responder's port
	 */
	public int awaitResponderPort() {
		return await().atMost(START_TIMEOUT).until(() -> {
			assertRunning();
			return responderPort();
		}, OptionalInt::isPresent).getAsInt();
	}

	/**
	 * Waits until the readiness probe answers UP over HTTP, as Kubernetes waits before it sends traffic.
	 * @return the service's actuator
	 */
	public Actuator awaitReady() {
		await().atMost(START_TIMEOUT).ignoreExceptions().until(() -> {
			assertRunning();
			return "UP".equals(readiness());
		});
		return new Actuator(httpPort().getAsInt());
	}

	/**
	 * The readiness probe's status now.
	 * @return {@code UP} or {@code OUT_OF_SERVICE}, or {@code null} while the web server has not started
	 */
	public String readiness() {
		OptionalInt httpPort = httpPort();
		if (httpPort.isEmpty()) {
			return null;
		}
		HttpResponse<String> response = new Actuator(httpPort.getAsInt()).get("/actuator/health/readiness");
		return Actuator.json(response).get("status").asString();
	}

	/**
	 * How long ago the JVM was launched.
	 * @return the time since launch
	 */
	public Duration sinceLaunch() {
		return Duration.ofNanos(System.nanoTime() - this.launchedNanos);
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * The process's standard output, where it is not redirected to a file.
	 * @return the stream to read it from
	 */
	public InputStream output() {
		return this.process.getInputStream();
	}

	/**
	 * Closes the process's standard input: a process that reads it until its end then stops.
	 * @throws IOException if it cannot be closed
	 */
	public void closeInput() throws IOException {
		this.process.getOutputStream().close();
	}

	/**
	 * Sends SIGTERM, as Kubernetes, systemd and {@code docker stop} do.
	 */
	public void sigterm() {
		this.process.destroy();
	}

	/**
	 * Waits for the process to exit.
	 * @param atMost how long to wait
	 * @return whether it exited
	 */
	public boolean awaitExit(Duration atMost) throws InterruptedException {
		return this.process.waitFor(atMost.toNanos(), TimeUnit.NANOSECONDS);
	}

	public int exitCode() {
		return this.process.exitValue();
	}

	/**
	 * What the process wrote to its standard output and error so far.
	 * @return the log
	 */
	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(unreadable: " + ex + ")";
		}
	}

	/**
	 * Kills the process if it still runs.
	 */
	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	/**
	 * The web server's port, once the port file is written whole.
	 */
	private OptionalInt httpPort() {
		if (this.portFile == null) {
			return OptionalInt.empty();
		}
		try {
			String port = Files.readString(this.portFile).strip();
			return port.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port));
		}
		catch (NoSuchFileException ex) {
			return OptionalInt.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private OptionalInt responderPort() {
		Matcher matcher = LISTENING.matcher(log());
		return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
	}

	private void assertRunning() {
		assertThat(this.process.isAlive()).as(() -> "the application is running; its log:\n" + log()).isTrue();
	}

	/**
	 * What {@link TcpResponderApplication#main} runs, with Spring Boot's port file writer for the web server's port,
	 * and, when asked, the {@link StartupGate}.
	 */
	public static final class Main {

		static final String PORT_FILE = "test.port-file";

		static final String HELD_IN_STARTUP = "test.held-in-startup";

		private Main() {
		}

		public static void main(String[] args) {
			SpringApplicationBuilder application = new SpringApplicationBuilder(TcpResponderApplication.class)
				.listeners(new WebServerPortFileWriter(System.getProperty(PORT_FILE)));
			if (Boolean.getBoolean(HELD_IN_STARTUP)) {
				application.initializers(new StartupGate());
			}
			application.run(args);
		}

	}

}
