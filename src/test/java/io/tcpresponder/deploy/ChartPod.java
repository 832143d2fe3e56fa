package io.tcpresponder.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.LocalPorts;

import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The chart's pod, run by {@code podman kube play --network host} as a node would run it: the chart rendered by Helm
 * with the given values, its ConfigMap and Deployment played, its Secret given to podman, the image from the local
 * store. All traffic stays on the host's loopback: the responder and the HTTP server bind {@code 127.0.0.1} on free
 * ports. Closing it takes the pod down ({@code podman kube down}: SIGTERM, then the grace period) and removes the
 * Secret.
 */
final class ChartPod implements AutoCloseable {

	static final String OPERATOR = "operator";

	/** Bounds the start on a busy machine, as the chart's startup probe does (120 s): a failure, not a speed claim. */
	private static final Duration START = Duration.ofSeconds(120);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Chart.Rendered rendered;

	private final Path playFile;

	private final String secret;

	private final String container;

	private final String password;

	private final int tcpPort;

	private final int httpPort;

	private Duration startToReady = Duration.ZERO;

	private ChartPod(Chart.Rendered rendered, Path playFile, String secret, String container, String password,
			int tcpPort, int httpPort) {
		this.rendered = rendered;
		this.playFile = playFile;
		this.secret = secret;
		this.container = container;
		this.password = password;
		this.tcpPort = tcpPort;
		this.httpPort = httpPort;
	}

	/**
	 * Renders the chart and plays its pod, waiting until it is ready.
	 * @param workDir where the values and the played manifests go
	 * @param values values over the pod's own (image, ports, loopback, credentials)
	 * @return the running pod
	 */
	static ChartPod play(Path workDir, Map<String, Object> values) {
		int tcpPort = LocalPorts.free();
		int httpPort = LocalPorts.free();
		String password = UUID.randomUUID().toString();
		Map<String, Object> own = Map.of("image", Map.of("registry", "localhost", "repository", "tcp-responder"),
				"responder", Map.of("port", tcpPort, "bindAddresses", List.of("127.0.0.1")), "http",
				Map.of("port", httpPort), "extraConfig", Map.of("server", Map.of("address", "127.0.0.1")),
				"credentials", Map.of("username", OPERATOR, "password", password));
		Chart.Rendered rendered = Chart.templateWith(workDir, Repository.dump(Repository.merge(own, values)));
		Map<String, Object> secret = rendered.ofKind("Secret").getFirst();
		String secretName = Repository.at(secret, "metadata.name");
		// podman 4.3 keeps a played Secret as YAML but reads a secretKeyRef's Secret as JSON, its data by key: so the
		// Secret goes to podman's store as that JSON, and only the ConfigMap and the Deployment are played.
		Path secretFile = Podman.write(workDir, "secret.json", json.writeValueAsString(secret.get("data")));
		Podman.tryRun(Duration.ofSeconds(30), "secret", "rm", secretName);
		Podman.run("secret", "create", secretName, secretFile.toString());
		Path playFile = Podman.write(workDir, "pod.yaml", Repository.dump(rendered.get("ConfigMap", rendered.fullname()))
				+ "---\n" + Repository.dump(onHostNetwork(rendered.deployment())));
		long start = System.nanoTime();
		String played = Podman.run("kube", "play", "--replace", "--network", "host", playFile.toString());
		List<String> lines = played.lines().map(String::strip).toList();
		String container = lines.get(lines.indexOf("Container:") + 1);
		ChartPod pod = new ChartPod(rendered, playFile, secretName, container, password, tcpPort, httpPort);
		try {
			Actuator actuator = pod.actuator();
			await().atMost(START)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> ready(actuator) || !pod.isRunning());
			if (!ready(actuator)) {
				throw new AssertionError("the pod never became ready:\n" + pod.logs());
			}
			pod.startToReady = Duration.ofNanos(System.nanoTime() - start);
		}
		catch (RuntimeException | AssertionError ex) {
			pod.close();
			throw ex;
		}
		return pod;
	}

	/**
	 * The Deployment without its container ports: podman 4.3 publishes each {@code containerPort} on the host as if
	 * it had a {@code hostPort}, which the host's network refuses ("PortMappings can only be used with Bridge or
	 * slirp4netns networking"); there the container's ports are the host's anyway.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> onHostNetwork(Map<String, Object> deployment) {
		Map<String, Object> copy = Repository.yamlString(Repository.dump(deployment));
		List<Map<String, Object>> containers = Repository.at(copy, "spec.template.spec.containers");
		containers.forEach((container) -> container.remove("ports"));
		return copy;
	}

	private static boolean ready(Actuator actuator) {
		try {
			return actuator.get("/actuator/health/readiness").statusCode() == 200;
		}
		catch (UncheckedIOException ex) {
			return false;
		}
	}

	Chart.Rendered rendered() {
		return this.rendered;
	}

	int tcpPort() {
		return this.tcpPort;
	}

	Actuator actuator() {
		return new Actuator(this.httpPort);
	}

	/** The actuator with the credentials of the chart's Secret. */
	Actuator operator() {
		return actuator().withBasicAuth(OPERATOR, this.password);
	}

	/** From {@code podman kube play} until readiness answered 200. */
	Duration startToReady() {
		return this.startToReady;
	}

	/** The JVM's process ID on the host: the container's first process, the image's {@code java} command. */
	long pid() {
		return Long.parseLong(Podman.run("inspect", "--format", "{{.State.Pid}}", this.container));
	}

	boolean isRunning() {
		return "running".equals(Podman.tryRun(Duration.ofSeconds(30), "inspect", "--format", "{{.State.Status}}",
				this.container).output().strip());
	}

	/** What the container wrote to its console. */
	String logs() {
		return Podman.tryRun(Duration.ofSeconds(30), "logs", this.container).output();
	}

	/**
	 * Runs a command in the container, as the container's user.
	 * @param command the command
	 * @return its output
	 */
	String exec(String... command) {
		String[] arguments = new String[command.length + 2];
		arguments[0] = "exec";
		arguments[1] = this.container;
		System.arraycopy(command, 0, arguments, 2, command.length);
		return Podman.run(arguments);
	}

	/**
	 * A value of the container as podman sees it.
	 * @param format a Go template of {@code podman inspect}
	 * @return the value
	 */
	String inspect(String format) {
		return Podman.run("inspect", "--format", format, this.container);
	}

	/**
	 * Takes the pod down as a node stops it, and removes its Secret.
	 * @return how long podman took to stop it
	 */
	Duration down() {
		long start = System.nanoTime();
		Podman.Result down = Podman.tryRun(Duration.ofMinutes(3), "kube", "down", this.playFile.toString());
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		Podman.tryRun(Duration.ofSeconds(30), "secret", "rm", this.secret);
		deletePlayFile();
		if (down.exitCode() != 0) {
			throw new AssertionError("podman kube down exited with " + down.exitCode() + ":\n" + down.output());
		}
		return took;
	}

	@Override
	public void close() {
		if (Files.exists(this.playFile)) {
			Podman.tryRun(Duration.ofMinutes(3), "kube", "down", this.playFile.toString());
			Podman.tryRun(Duration.ofSeconds(30), "secret", "rm", this.secret);
			deletePlayFile();
		}
	}

	private void deletePlayFile() {
		try {
			Files.deleteIfExists(this.playFile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
