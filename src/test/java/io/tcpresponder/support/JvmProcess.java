package io.tcpresponder.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A JVM that a test starts ({@link JvmLaunch}), for what only a process shows: signals, the JVM's shutdown, exit
 * codes, system calls watched from outside, another user. Its standard output and error go to a file, its log. The
 * process waits only for what the test asks: a line of its log ({@link #awaitLog}), readiness over HTTP
 * ({@link #awaitReady}), a condition ({@link #await}), its exit ({@link #awaitExit()}). A wait fails at once, with the
 * end of the log, when the process exits before it is over; its bound, {@link #TIMEOUT}, is for a hung process only.
 * {@link #close()} kills the process and whatever it started, if they still run: start it in try-with-resources.
 */
public final class JvmProcess implements AutoCloseable {

	/**
	 * Bounds a wait for a failure only, not a speed claim: a busy machine may take minutes to start a JVM, or to end
	 * one that writes an AOT cache.
	 */
	public static final Duration TIMEOUT = Duration.ofMinutes(10);

	private static final String LISTENING = "TCP responder listening on \\S+ port (\\d+) ";

	private static final int TAIL_LINES = 60;

	private final Process process;

	private final String name;

	private final Path log;

	private final Path errors;

	private final Path portFile;

	private final int httpPort;

	private final long launchedNanos;

	JvmProcess(Process process, String name, Path log, Path errors, Path portFile, int httpPort, long launchedNanos) {
		this.process = process;
		this.name = name;
		this.log = log;
		this.errors = errors;
		this.portFile = portFile;
		this.httpPort = httpPort;
		this.launchedNanos = launchedNanos;
	}

	/**
	 * Waits until the log has a match of the regular expression, taken as {@link Pattern#MULTILINE}: {@code ^} and
	 * {@code $} are a line's start and end.
	 * @param regex what to find, such as {@code ^port (\d+)$}
	 * @return the first match
	 */
	public MatchResult awaitLog(String regex) {
		Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
		return awaitValue("a match of " + pattern + " in its log", () -> {
			Matcher matcher = pattern.matcher(log());
			return matcher.find() ? Optional.of(matcher.toMatchResult()) : Optional.empty();
		});
	}

	/**
	 * Waits until the responder listens, as the application's log says.
	 * @return the responder's port
	 */
	public int awaitResponderPort() {
		return Integer.parseInt(awaitLog(LISTENING).group(1));
	}

	/**
	 * Waits until the readiness probe answers UP over HTTP, as Kubernetes waits before it sends traffic.
	 * @return the service's actuator
	 * @throws IllegalStateException at once if the web server's port cannot be known: neither the application's port
	 * file nor {@link JvmLaunch#httpPort}
	 */
	public Actuator awaitReady() {
		if (this.portFile == null && this.httpPort == 0) {
			throw new IllegalStateException(
					"The process " + this.name + " has no known HTTP port: give it with httpPort");
		}
		await("readiness UP", () -> "UP".equals(readiness()));
		return actuator();
	}

	/**
	 * The readiness probe's status now.
	 * @return {@code UP} or {@code OUT_OF_SERVICE}, or {@code null} while the web server's port is not known yet
	 */
	public String readiness() {
		OptionalInt port = httpPort();
		if (port.isEmpty()) {
			return null;
		}
		return Actuator.json(new Actuator(port.getAsInt()).get("/actuator/health/readiness")).get("status").asString();
	}

	/**
	 * The service's actuator, on the web server's port.
	 * @return an anonymous client
	 * @throws IllegalStateException if the port is not known (yet)
	 */
	public Actuator actuator() {
		return new Actuator(httpPort().orElseThrow(
				() -> new IllegalStateException("The process " + this.name + " has no known HTTP port (yet)")));
	}

	/**
	 * Waits until a condition holds; an exception from it means not yet (a refused connection, a file not written
	 * whole).
	 * @param what what is waited for, for the failure's message
	 * @param condition the condition
	 */
	public void await(String what, Callable<Boolean> condition) {
		awaitValue(what, () -> Boolean.TRUE.equals(condition.call()) ? Optional.of(true) : Optional.empty());
	}

	/**
	 * How long ago the JVM was launched: what starting took on this machine, now, for a bound that scales with it.
	 * @return the time since launch
	 */
	public Duration sinceLaunch() {
		return Duration.ofNanos(System.nanoTime() - this.launchedNanos);
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Closes the process's standard input: a process that reads it until its end then stops.
	 */
	public void closeInput() {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends SIGTERM, as Kubernetes, systemd and {@code docker stop} do.
	 */
	public void sigterm() {
		this.process.destroy();
	}

	/**
	 * Sends SIGTERM and waits for the process to exit.
	 * @return its exit code
	 */
	public int stop() {
		sigterm();
		return awaitExit();
	}

	/**
	 * Waits for the process to exit within a time that the test claims.
	 * @param atMost how long to wait
	 * @return whether it exited
	 */
	public boolean awaitExit(Duration atMost) {
		try {
			return this.process.waitFor(atMost.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits for the process to exit.
	 * @return its exit code
	 * @throws AssertionError if it does not exit within {@link #TIMEOUT}; it is killed then
	 */
	public int awaitExit() {
		if (!awaitExit(TIMEOUT)) {
			close();
			throw new AssertionError("The process " + this.name + " did not exit within " + TIMEOUT
					+ "; the end of its log:\n" + tail());
		}
		return exitCode();
	}

	/**
	 * The exit code of the process, which has exited.
	 * @return the code: 143 after SIGTERM for a JVM that ends by the signal's default action
	 */
	public int exitCode() {
		return this.process.exitValue();
	}

	/**
	 * What the process wrote to its log so far: its standard output, and its standard error unless
	 * {@link JvmLaunch#errors} keeps that apart.
	 * @return the log
	 */
	public String log() {
		return read(this.log);
	}

	/**
	 * Kills the process and the processes it started (a JVM under strace or setpriv), if they still run.
	 */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.descendants().forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly();
			awaitExit(Duration.ofSeconds(30));
		}
	}

	private <T> T awaitValue(String what, Callable<Optional<T>> probe) {
		Exception[] last = new Exception[1];
		try {
			return Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
				// Asked before the probe: a process that exits after a probe that failed has had its last chance.
				boolean alive = this.process.isAlive();
				Optional<T> value;
				try {
					value = probe.call();
				}
				catch (Exception ex) {
					last[0] = ex;
					value = Optional.empty();
				}
				if (value.isEmpty() && !alive) {
					throw new AssertionError("Waiting for " + what + ", the process " + this.name + " exited with code "
							+ this.process.exitValue() + "; the end of its log:\n" + tail(), last[0]);
				}
				return value;
			}, Optional::isPresent).orElseThrow();
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Waited " + TIMEOUT + " for " + what + " from the process " + this.name
					+ ((last[0] != null) ? " (last: " + last[0] + ")" : "") + "; the end of its log:\n" + tail(), ex);
		}
	}

	/**
	 * The web server's port: the one given, or the port file's once it is written whole.
	 */
	private OptionalInt httpPort() {
		if (this.httpPort != 0) {
			return OptionalInt.of(this.httpPort);
		}
		String port = (this.portFile != null) ? read(this.portFile).strip() : "";
		return port.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port));
	}

	private String tail() {
		String tail = tail(this.log);
		return (this.errors != null) ? tail + "\nthe end of its standard error:\n" + tail(this.errors) : tail;
	}

	private static String tail(Path file) {
		List<String> lines = read(file).lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (NoSuchFileException ex) {
			return "";
		}
		catch (IOException ex) {
			return "(unreadable: " + ex + ")";
		}
	}

}
