package io.tcpresponder.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.Load;
import io.tcpresponder.support.Promtool;
import io.tcpresponder.support.TimeWaitRestart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image and the chart's pod, run for real: podman plays the rendered Deployment, ConfigMap and Secret as a node
 * would, with the image that {@code deploy/local-image.sh} builds, and the test checks what a platform team checks
 * first. One pod of the chart's defaults serves the first checks and is then stopped under load; the others each
 * change a value. Figures (start-up, heap, stop) go to {@code target/chart-pod.txt}.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ChartPodTests {

	private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

	private static final Path FIGURES = Repository.ROOT.resolve("target/chart-pod.txt");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final long MIB = 1024 * 1024;

	@TempDir
	Path workDir;

	/** The chart's defaults, but for the pod's own values (see {@link ChartPod}). */
	private ChartPod defaults;

	@BeforeAll
	void imageAndPod(@TempDir Path podDir) {
		Podman.assumeInstalled();
		Duration build = LocalImage.build();
		figure("image build (deploy/local-image.sh --if-changed): %d s; image %s", build.toSeconds(),
				Podman.run("image", "inspect", "--format", "{{.Size}}", LocalImage.NAME + ":latest"));
		this.defaults = ChartPod.play(podDir, Map.of());
	}

	@AfterAll
	void downPod() {
		if (this.defaults != null) {
			this.defaults.close();
		}
	}

	/**
	 * As the manifest says: user 65532, no capability, a read-only root (and a writable {@code /tmp}), and the
	 * memory limit on the container's cgroup; the JVM maps the image's AOT cache and takes it without a warning.
	 */
	@Test
	@Order(1)
	void theJvmRunsAsTheManifestSaysWithTheAotCache() throws IOException {
		ChartPod pod = this.defaults;
		figure("start-up to readiness in the pod (kube play to readiness 200): %d ms; %s",
				pod.startToReady().toMillis(), started(pod.logs()));
		Path proc = Path.of("/proc", String.valueOf(pod.pid()));
		String status = Files.readString(proc.resolve("status"));
		assertThat(field(status, "Uid")).isEqualTo("65532\t65532\t65532\t65532");
		assertThat(field(status, "Gid")).isEqualTo("65532\t65532\t65532\t65532");
		assertThat(field(status, "CapEff")).as("no effective capability").isEqualTo("0000000000000000");
		assertThat(field(status, "CapPrm")).isEqualTo("0000000000000000");
		assertThat(field(status, "NoNewPrivs")).as("allowPrivilegeEscalation: false").isEqualTo("1");
		assertThat(mountOptions(proc, "/")).as("readOnlyRootFilesystem").contains("ro");
		assertThat(mountOptions(proc, "/tmp")).as("the emptyDir at /tmp").contains("rw");
		assertThat(pod.exec("sh", "-c", "touch /tmp/written && echo written")).isEqualTo("written");
		assertThat(Files.readString(proc.resolve("maps"))).as("the AOT cache mapped into the JVM")
			.contains("/app/aot/tcp-responder.aot");
		assertThat(pod.logs()).doesNotContain("[warning][aot", "[error][aot")
			.contains("Starting AOT-processed TcpResponderApplication");
		assertThat(memoryLimit(proc)).as("the container's cgroup limit").isEqualTo(512 * MIB);
		assertThat(pod.inspect("{{.HostConfig.Memory}}")).isEqualTo(String.valueOf(512 * MIB));
		assertHeapFollows(pod, 512);
	}

	/**
	 * What an operator and Kubernetes reach: the line, the probes at the chart's paths, Prometheus text that promtool
	 * takes, the lesson page, and a restart with the credentials of the chart's Secret (and none without them).
	 */
	@Test
	@Order(2)
	void theServiceAnswersInThePodAsOnTheBuildMachine() throws Exception {
		ChartPod pod = this.defaults;
		assertThat(Clients.fetch(LOOPBACK, pod.tcpPort())).isEqualTo(Clients.LINE);
		Map<String, Object> container = Repository.at(pod.rendered().deployment(), "spec.template.spec.containers[0]");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			String path = Repository.at(container, probe + ".httpGet.path");
			HttpResponse<String> answer = pod.actuator().get(path);
			assertThat(answer.statusCode()).as(probe + " " + path).isEqualTo(200);
			assertThat(Actuator.json(answer).get("status").asString()).isEqualTo("UP");
		}
		String exposition = pod.actuator().get("/actuator/prometheus").body();
		assertThat(exposition).contains("responder_connections_accepted_total");
		Promtool.assumeInstalled();
		assertThat(Promtool.runWithInput(exposition, "check", "metrics").output()).as("promtool check metrics")
			.isEmpty();
		HttpResponse<String> page = pod.actuator().get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(pod.actuator().post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(401);
		assertThat(pod.actuator().withBasicAuth(ChartPod.OPERATOR, "wrong").post("/actuator/responder/restart", "{}")
			.statusCode()).isEqualTo(401);
		assertThat(pod.operator().post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(200);
		assertThat(Clients.fetch(LOOPBACK, pod.tcpPort())).isEqualTo(Clients.LINE);
		assertThat(pod.logs()).as("plain text logs by default").contains("Started TcpResponderApplication")
			.doesNotContain("\n{\"");
	}

	/**
	 * Under another memory limit the heap follows it (MaxRAMPercentage=75, less one survivor space), not the machine's
	 * memory; with {@code logFormat} every console line is one JSON object, in the format Spring Boot names.
	 */
	@ParameterizedTest
	@CsvSource({ "256, ecs", "768, logstash", "384, gelf" })
	void theHeapFollowsTheLimitAndTheLogsAreJsonWhenAsked(int limitMib, String format) {
		try (ChartPod pod = ChartPod.play(this.workDir, Map.of("logFormat", format, "resources",
				Map.of("limits", Map.of("memory", limitMib + "Mi"))))) {
			assertHeapFollows(pod, limitMib);
			List<String> lines = pod.logs().lines().filter((line) -> !line.isBlank()).toList();
			assertThat(lines).isNotEmpty();
			List<JsonNode> records = lines.stream().map(ChartPodTests::jsonLine).toList();
			String messageField = switch (format) {
				case "gelf" -> "short_message";
				default -> "message";
			};
			assertThat(records).anySatisfy((record) -> assertThat(record.path(messageField).asString())
				.startsWith("Started TcpResponderApplication"));
			JsonNode first = records.getFirst();
			switch (format) {
				case "ecs" -> assertThat(first.at("/ecs/version").asString()).isNotEmpty();
				case "logstash" -> assertThat(first.get("@version").asString()).isEqualTo("1");
				default -> assertThat(first.get("version").asString()).isEqualTo("1.1");
			}
		}
	}

	/**
	 * The bind oracle as the pod sees it, without root: a restart refused by the responder's own TIME_WAIT answers
	 * when the port frees, told by the kernel clock that any user may read.
	 */
	@Test
	void aRefusedRestartSaysWhenThePortFreesWithoutRoot() {
		try (ChartPod pod = ChartPod.play(this.workDir,
				Map.of("responder", Map.of("reuseAddress", false, "retryBind", false)))) {
			Actuator operator = pod.operator();
			TimeWaitRestart.leaveTimeWait(operator, LOOPBACK);
			HttpResponse<String> refused = operator.post("/actuator/responder/restart", "{}");
			Instant answeredAt = Instant.now();
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
			JsonNode problem = Actuator.json(refused);
			assertThat(problem.at("/blockers/timeWait").asLong()).isGreaterThanOrEqualTo(3);
			Instant freeAt = Instant.parse(problem.get("freeAt").asString());
			assertThat(Duration.between(answeredAt, freeAt).toMillis())
				.as("TIME_WAIT lasts 60 s, and the timer wheel's bucket at most 5.12 s more")
				.isPositive()
				.isLessThanOrEqualTo(66_000);
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
			JsonNode listener = operator.responder().at("/listeners/0");
			assertThat(listener.get("freeAt").asString()).isEqualTo(problem.get("freeAt").asString());
			assertThat(listener.get("clock").asString()).as("user 65532 reads the kernel's clock through times(2)")
				.isEqualTo("times");
			figure("a refused restart in the pod: freeAt %d ms after the answer, clock %s",
					Duration.between(answeredAt, freeAt).toMillis(), listener.get("clock").asString());
		}
	}

	/**
	 * A stop of the pod under 32 clients, as a node stops it (SIGTERM, then the grace period): no client gets part
	 * of the line, and the JVM is gone well within {@code terminationGracePeriodSeconds}.
	 */
	@Test
	@Order(3)
	void aStopUnderLoadCutsNoLine() {
		ChartPod pod = this.defaults;
		long grace = ((Number) Repository.at(pod.rendered().deployment(),
				"spec.template.spec.terminationGracePeriodSeconds")).longValue();
		assertThat(Long.parseLong(pod.inspect("{{.Config.StopTimeout}}")))
			.as("podman sends SIGKILL no earlier than a node would (containers.conf)")
			.isGreaterThanOrEqualTo(grace);
		long pid = pod.pid();
		Load.Outcomes outcomes;
		Duration stop;
		try (Load load = Load.start(pod.tcpPort(), Clients.LINE, 32, Clients.TIMEOUT_MILLIS)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> pod.actuator().responder().at("/connections/completed")
				.asLong() >= 1000);
			stop = pod.down();
			outcomes = load.stop();
		}
		figure("stop of the pod under 32 clients: %d ms (grace %d s); %s", stop.toMillis(), grace, outcomes);
		assertThat(outcomes.partial()).as("no client got part of the line").isZero();
		assertThat(outcomes.whole()).isGreaterThanOrEqualTo(1000);
		assertThat(Path.of("/proc", String.valueOf(pid))).as("the JVM is gone").doesNotExist();
		assertThat(stop).as("well within terminationGracePeriodSeconds").isLessThan(Duration.ofSeconds(grace / 2));
	}

	private static void assertHeapFollows(ChartPod pod, int limitMib) {
		JsonNode heap = Actuator.json(pod.actuator().get("/actuator/metrics/jvm.memory.max?tag=area:heap"));
		double max = heap.at("/measurements/0/value").asDouble();
		figure("heap maximum under a %d MiB limit: %.1f MiB (%.1f %%)", limitMib, max / MIB,
				100 * max / (limitMib * MIB));
		assertThat(max).as("the heap's maximum under a %d MiB limit", limitMib)
			.isBetween(0.70 * limitMib * MIB, 0.75 * limitMib * MIB);
	}

	private static JsonNode jsonLine(String line) {
		assertThat(line).as("a JSON line").startsWith("{").endsWith("}");
		return json.readTree(line);
	}

	private static String field(String status, String name) {
		Matcher field = Pattern.compile("(?m)^" + name + ":\\s*(.*)$").matcher(status);
		assertThat(field.find()).as(name).isTrue();
		return field.group(1).strip();
	}

	/** The options of the mount at a path in the process's mount namespace. */
	private static List<String> mountOptions(Path proc, String mountPoint) throws IOException {
		Optional<String> options = Files.readAllLines(proc.resolve("mountinfo")).stream()
			.map((line) -> line.split(" "))
			.filter((fields) -> fields[4].equals(mountPoint))
			.reduce((first, last) -> last)
			.map((fields) -> fields[5]);
		assertThat(options).as("a mount at " + mountPoint).isPresent();
		return List.of(options.get().split(","));
	}

	/** The memory limit of the process's cgroup, v1 or v2. */
	private static long memoryLimit(Path proc) throws IOException {
		for (String line : Files.readAllLines(proc.resolve("cgroup"))) {
			String[] fields = line.split(":", 3);
			if (fields[1].equals("memory")) {
				return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/memory" + fields[2], "memory.limit_in_bytes")).strip());
			}
			if (fields[0].equals("0") && fields[1].isEmpty()) {
				Path max = Path.of("/sys/fs/cgroup" + fields[2], "memory.max");
				if (Files.exists(max)) {
					return Long.parseLong(Files.readString(max).strip());
				}
			}
		}
		throw new AssertionError("no memory cgroup in " + Files.readString(proc.resolve("cgroup")));
	}

	private static String started(String logs) {
		Matcher started = Pattern.compile("Started TcpResponderApplication in [^\\n]*").matcher(logs);
		return started.find() ? started.group() : "no start line";
	}

	private static synchronized void figure(String format, Object... arguments) {
		try {
			Files.createDirectories(FIGURES.getParent());
			Files.writeString(FIGURES, String.format(format, arguments) + "\n", java.nio.file.StandardOpenOption.CREATE,
					java.nio.file.StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
