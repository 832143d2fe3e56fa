package io.tcpresponder.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;

import static org.awaitility.Awaitility.await;

/**
 * The service as its own JVM process, on free ports, its output in a file: started, waited for until it serves, and
 * stopped with SIGTERM, as Kubernetes stops a container.
 */
final class ServiceProcess implements AutoCloseable {

	/** Bounds a failure only: a busy machine may take minutes to start a JVM that writes an AOT cache. */
	static final Duration TIMEOUT = Duration.ofMinutes(10);

	private final Process process;

	private final Path output;

	private final int tcpPort;

	private final int httpPort;

	private ServiceProcess(Process process, Path output, int tcpPort, int httpPort) {
		this.process = process;
		this.output = output;
		this.tcpPort = tcpPort;
		this.httpPort = httpPort;
	}

	/**
	 * Starts the command with the service's ports added as arguments.
	 * @param command the JVM and its arguments
	 * @param workingDirectory the process's working directory
	 * @param output the file that gets the process's standard output and error
	 * @param settings further application arguments, {@code --name=value}
	 * @return the running process
	 */
	static ServiceProcess start(List<String> command, Path workingDirectory, Path output, String... settings) {
		int tcpPort = freePort();
		int httpPort = freePort();
		List<String> full = new ArrayList<>(command);
		full.add("--responder.port=" + tcpPort);
		full.add("--server.port=" + httpPort);
		full.addAll(List.of(settings));
		try {
			Files.createDirectories(output.getParent());
			Process process = new ProcessBuilder(full).directory(workingDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			return new ServiceProcess(process, output, tcpPort, httpPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int tcpPort() {
		return this.tcpPort;
	}

	Actuator actuator() {
		return new Actuator(this.httpPort);
	}

	/**
	 * Waits until the TCP port serves the line and readiness is UP, failing at once if the process ends.
	 * @return this process
	 */
	ServiceProcess awaitReady() {
		await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
			if (!this.process.isAlive()) {
				throw new AssertionError("The service ended with " + this.process.exitValue() + ":\n" + output());
			}
			return Clients.fetch(this.tcpPort).endsWith("\n")
					&& actuator().get("/actuator/health/readiness").statusCode() == 200;
		});
		return this;
	}

	/**
	 * What the process wrote so far.
	 * @return its standard output and error
	 */
	String output() {
		try {
			return Files.readString(this.output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends SIGTERM and waits for the process to end; a training run's JVM writes the AOT cache before it ends.
	 * @return the exit code
	 */
	int stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
				throw new IllegalStateException("The service did not end within " + TIMEOUT + " of SIGTERM");
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			stop();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
