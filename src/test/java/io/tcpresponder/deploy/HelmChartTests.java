package io.tcpresponder.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart, linted and rendered by Helm's own code for the default values and every ci/*-values.yaml.
 */
class HelmChartTests {

	private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)");

	@TempDir
	Path workDir;

	/** The defaults alone, then every values set kept for CI. */
	static Stream<Arguments> valuesSets() {
		Stream<Arguments> defaults = Stream.of(Arguments.of("values.yaml", null));
		Stream<Arguments> ci = Chart.ciValuesFiles()
			.stream()
			.map((file) -> Arguments.of("ci/" + file.getFileName(), file));
		return Stream.concat(defaults, ci);
	}

	@Test
	void chartKeepsValuesSetsForCi() {
		assertThat(Chart.ciValuesFiles()).extracting((file) -> file.getFileName().toString())
			.contains("default-values.yaml", "all-optional-values.yaml", "loadbalancer-values.yaml",
					"client-first-values.yaml", "credentials-values.yaml", "existing-secret-values.yaml",
					"read-only-values.yaml");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesSets")
	void lintStrictPasses(String name, Path valuesFile) {
		LintResult result = Chart.lintStrict(this.workDir, valuesFile);
		assertThat(result.isFailed()).as("helm lint --strict with %s: %s", name, result.getMessages()).isFalse();
		assertThat(result.getMessages()).as("lint messages").noneMatch((message) -> message.contains("[ERROR]")
				|| message.contains("[WARNING]"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesSets")
	void rendersDeploymentFitForKubernetes(String name, Path valuesFile) {
		Chart.Rendered rendered = (valuesFile != null) ? Chart.template(valuesFile) : Chart.template();
		Map<String, Object> values = effectiveValues(valuesFile);
		Map<String, Object> container = rendered.container();
		Map<String, Object> podSpec = at(rendered.deployment(), "spec.template.spec");

		List<Map<String, Object>> ports = at(container, "ports");
		assertThat(ports).extracting((port) -> port.get("name"), (port) -> port.get("containerPort"))
			.containsExactly(org.assertj.core.groups.Tuple.tuple("tcp", at(values, "responder.port")),
					org.assertj.core.groups.Tuple.tuple("http", at(values, "http.port")));

		assertThat((String) at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat((String) at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat((String) at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			assertThat((Object) at(container, probe + ".httpGet.port")).as(probe).isEqualTo("http");
		}

		assertThat((Object) at(podSpec, "securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat((Object) at(podSpec, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
		assertThat((Object) at(container, "securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat((Object) at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
		assertThat((Object) at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
		assertThat((List<Object>) at(container, "securityContext.capabilities.drop")).containsExactly("ALL");
		assertThat((Object) at(container, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
		assertThat((Integer) at(podSpec, "securityContext.runAsUser")).isPositive();

		List<Map<String, Object>> mounts = at(container, "volumeMounts");
		List<Map<String, Object>> volumes = at(podSpec, "volumes");
		assertThat(mounts).anySatisfy((mount) -> {
			assertThat(mount).containsEntry("mountPath", "/tmp");
			Map<String, Object> volume = volumes.stream()
				.filter((candidate) -> candidate.get("name").equals(mount.get("name")))
				.findFirst()
				.orElseThrow();
			assertThat(volume).containsKey("emptyDir");
		});
		assertThat(mounts).anySatisfy((mount) -> {
			assertThat(mount).containsEntry("mountPath", "/config").containsEntry("readOnly", true);
			Map<String, Object> volume = volumes.stream()
				.filter((candidate) -> candidate.get("name").equals(mount.get("name")))
				.findFirst()
				.orElseThrow();
			assertThat((Object) at(volume, "configMap.name")).isEqualTo(rendered.fullname());
		});
		assertThat((List<Map<String, Object>>) at(container, "env")).anySatisfy((env) -> assertThat(env)
			.containsEntry("name", "SPRING_CONFIG_ADDITIONAL_LOCATION")
			.containsEntry("value", "file:/config/"));

		assertThat((Map<String, Object>) at(container, "resources")).isEqualTo(at(values, "resources"));
		assertThat((Object) at(rendered.deployment(), "spec.replicas"))
			.isEqualTo(Boolean.TRUE.equals(at(values, "autoscaling.enabled")) ? null : values.get("replicaCount"));

		long shutdownSeconds = seconds(at(values, "responder.shutdownTimeout"));
		long preStopSeconds = ((Number) values.get("preStopSleepSeconds")).longValue();
		assertThat(((Number) at(podSpec, "terminationGracePeriodSeconds")).longValue())
			.as("terminationGracePeriodSeconds against preStopSleepSeconds plus responder.shutdownTimeout")
			.isGreaterThan(shutdownSeconds + preStopSeconds);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesSets")
	void configMapCarriesTheResponderSettings(String name, Path valuesFile) {
		Chart.Rendered rendered = (valuesFile != null) ? Chart.template(valuesFile) : Chart.template();
		assertThat(rendered.applicationConfig()).isEqualTo(expectedApplicationConfig(effectiveValues(valuesFile)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesSets")
	void rendersServiceWithNamedPortsAndStringAnnotations(String name, Path valuesFile) {
		Chart.Rendered rendered = (valuesFile != null) ? Chart.template(valuesFile) : Chart.template();
		Map<String, Object> values = effectiveValues(valuesFile);
		Map<String, Object> service = rendered.service();
		assertThat((Object) at(service, "spec.type")).isEqualTo(at(values, "service.type"));
		List<Map<String, Object>> ports = at(service, "spec.ports");
		assertThat(ports).extracting((port) -> port.get("name"), (port) -> port.get("port"),
				(port) -> port.get("targetPort"))
			.containsExactly(org.assertj.core.groups.Tuple.tuple("tcp", at(values, "service.tcpPort"), "tcp"),
					org.assertj.core.groups.Tuple.tuple("http", at(values, "service.httpPort"), "http"));
		Map<String, Object> annotations = at(service, "metadata.annotations");
		if (Boolean.TRUE.equals(at(values, "responder.security.anonymousReads"))) {
			assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
				.containsEntry("prometheus.io/port", String.valueOf((Object) at(values, "http.port")))
				.containsEntry("prometheus.io/path", "/actuator/prometheus");
		}
		else {
			assertThat((annotations != null) ? annotations : Map.of()).as("annotation-based scrapers send no credentials")
				.doesNotContainKeys("prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path");
		}
		if (annotations != null) {
			assertThat(annotations.values()).allSatisfy((value) -> assertThat(value).isInstanceOf(String.class));
		}
	}

	@Test
	void loadBalancerValuesExposeTheTcpPortOutside() {
		Chart.Rendered rendered = Chart.template(Repository.CHART.resolve("ci/loadbalancer-values.yaml"));
		assertThat((Object) at(rendered.service(), "spec.type")).isEqualTo("LoadBalancer");
		assertThat((Object) at(rendered.service(), "spec.externalTrafficPolicy")).isEqualTo("Local");
		assertThat((Map<String, Object>) at(rendered.service(), "metadata.annotations"))
			.containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
	}

	@Test
	void valueChangesReachTheApplicationConfigExactly() {
		String message = "hello \"client\" 'quoted'\n\tsecond: line\n";
		Chart.Rendered rendered = Chart.templateWith(this.workDir, Repository.dump(Map.of("responder",
				Map.of("reuseAddress", false, "message", message, "closeMode", "client-first", "backlog", 7,
						"bindAddress", "0.0.0.0"))));
		Map<String, Object> config = rendered.applicationConfig();
		assertThat((Object) at(config, "responder.reuse-address")).isEqualTo(false);
		assertThat((Object) at(config, "responder.message")).isEqualTo(message);
		assertThat((Object) at(config, "responder.close-mode")).isEqualTo("client-first");
		assertThat((Object) at(config, "responder.backlog")).isEqualTo(7);
		assertThat((Object) at(config, "responder.bind-addresses")).as("the deprecated value, as a list of one")
			.isEqualTo(List.of("0.0.0.0"));
		assertThat((Map<String, Object>) at(config, "responder")).doesNotContainKey("bind-address");
		assertThat((Map<String, Object>) at(Chart.template().applicationConfig(), "responder"))
			.doesNotContainKey("bind-address")
			.doesNotContainKey("bind-addresses");
	}

	@Test
	void bindAddressesReachTheApplicationConfigAsAList() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir,
				"responder:\n  bindAddresses: [\"127.0.0.1\", \"::1\"]\n");
		assertThat((Object) at(rendered.applicationConfig(), "responder.bind-addresses"))
			.isEqualTo(List.of("127.0.0.1", "::1"));
	}

	@Test
	void bindAddressAndBindAddressesTogetherAreRefused() {
		assertThatException().isThrownBy(() -> Chart.templateWith(this.workDir,
				"responder:\n  bindAddress: \"0.0.0.0\"\n  bindAddresses: [\"127.0.0.1\"]\n"))
			.withMessageContaining("responder.bindAddress is deprecated for responder.bindAddresses");
	}

	@Test
	void extraConfigIsMergedIntoTheApplicationConfig() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir,
				"extraConfig:\n  logging:\n    level:\n      io.tcpresponder: DEBUG\n");
		Map<String, Object> logging = at(rendered.applicationConfig(), "logging.level");
		assertThat(logging).containsEntry("io.tcpresponder", "DEBUG");
	}

	@Test
	void checksumAnnotationFollowsTheConfig() {
		String defaults = Chart.template().configChecksum();
		assertThat(defaults).matches("[0-9a-f]{64}");
		assertThat(Chart.template().configChecksum()).as("stable across renders").isEqualTo(defaults);
		assertThat(Chart.templateWith(this.workDir, "responder:\n  reuseAddress: false\n").configChecksum())
			.isNotEqualTo(defaults);
		assertThat(Chart.templateWith(this.workDir, "responder:\n  message: \"other\\n\"\n").configChecksum())
			.isNotEqualTo(defaults);
		assertThat(Chart.templateWith(this.workDir, "replicaCount: 3\n").configChecksum())
			.as("a change outside the config keeps the checksum")
			.isEqualTo(defaults);
	}

	@Test
	void terminationGracePeriodIsDerivedOrValidated() {
		assertThat(graceOf("responder:\n  shutdownTimeout: 2m\n")).as("5s preStop + 120s + 30s").isEqualTo(155);
		assertThat(graceOf("preStopSleepSeconds: 0\nresponder:\n  shutdownTimeout: 1500ms\n")).isEqualTo(32);
		assertThat(graceOf("terminationGracePeriodSeconds: 16\n")).isEqualTo(16);
		assertThat(graceOf("preStopSleepSeconds: 0\nterminationGracePeriodSeconds: 11\n")).isEqualTo(11);
		assertThatThrownBy(() -> Chart.templateWith(this.workDir, "terminationGracePeriodSeconds: 15\n"))
			.hasMessageContaining("terminationGracePeriodSeconds (15) must be longer than preStopSleepSeconds (5) "
					+ "plus responder.shutdownTimeout (10s)");
		assertThatThrownBy(() -> Chart.templateWith(this.workDir,
				"preStopSleepSeconds: 0\nresponder:\n  shutdownTimeout: 1500ms\nterminationGracePeriodSeconds: 2\n"))
			.hasMessageContaining("plus responder.shutdownTimeout (1500ms)");
	}

	@Test
	void preStopHookLetsTheServiceDrainFirst() {
		Map<String, Object> container = Chart.template().container();
		assertThat((List<Object>) at(container, "lifecycle.preStop.exec.command")).containsExactly("sleep", "5");
		assertThat(Chart.templateWith(this.workDir, "preStopSleepSeconds: 0\n").container())
			.doesNotContainKey("lifecycle");
	}

	private Object graceOf(String valuesYaml) {
		return at(Chart.templateWith(this.workDir, valuesYaml).deployment(),
				"spec.template.spec.terminationGracePeriodSeconds");
	}

	@Test
	void optionalObjectsAreOffByDefault() {
		Chart.Rendered rendered = Chart.template();
		assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
		assertThat(rendered.ofKind("PodDisruptionBudget")).isEmpty();
		assertThat(rendered.ofKind("NetworkPolicy")).isEmpty();
		assertThat(rendered.ofKind("PrometheusRule")).isEmpty();
		assertThat(rendered.ofKind("HorizontalPodAutoscaler")).isEmpty();
		assertThat(rendered.ofKind("ConfigMap")).extracting((map) -> at(map, "metadata.name"))
			.containsExactly(Chart.FULLNAME);
		assertThat(rendered.documents()).extracting((document) -> document.get("kind"))
			.containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Service", "Deployment");
	}

	@Test
	void serviceMonitorWhenEnabled() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "serviceMonitor:\n  enabled: true\n");
		Map<String, Object> monitor = rendered.get("ServiceMonitor", Chart.FULLNAME);
		assertThat((Object) monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat((Object) at(monitor, "spec.endpoints[0].port")).isEqualTo("http");
		assertThat((Object) at(monitor, "spec.endpoints[0].path")).isEqualTo("/actuator/prometheus");
		assertThat((Map<String, Object>) at(monitor, "spec.selector.matchLabels"))
			.isEqualTo(at(rendered.service(), "spec.selector"));
		assertThat(rendered.ofKind("PodDisruptionBudget")).isEmpty();
	}

	@Test
	void podDisruptionBudgetWhenEnabled() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "podDisruptionBudget:\n  enabled: true\n");
		Map<String, Object> budget = rendered.get("PodDisruptionBudget", Chart.FULLNAME);
		assertThat((Object) budget.get("apiVersion")).isEqualTo("policy/v1");
		assertThat((Object) at(budget, "spec.maxUnavailable")).isEqualTo(1);
		assertThat((Map<String, Object>) at(budget, "spec.selector.matchLabels"))
			.isEqualTo(at(rendered.deployment(), "spec.selector.matchLabels"));
		assertThat(rendered.ofKind("NetworkPolicy")).isEmpty();
	}

	@Test
	void networkPolicyOpensTcpToAllAndHttpToNamedPeers() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "networkPolicy:\n  enabled: true\n");
		Map<String, Object> policy = rendered.get("NetworkPolicy", Chart.FULLNAME);
		List<Map<String, Object>> rules = at(policy, "spec.ingress");
		assertThat(rules).hasSize(2);
		assertThat((Object) at(rules.get(0), "ports[0].port")).isEqualTo("tcp");
		assertThat(rules.get(0)).as("TCP rule names no peers, so it is open to all").doesNotContainKey("from");
		assertThat((Object) at(rules.get(1), "ports[0].port")).isEqualTo("http");
		List<Object> peers = (List<Object>) rules.get(1).get("from");
		Map<String, Object> testPodPeer = Map.of("podSelector", Map.of("matchLabels",
				Map.of("app.kubernetes.io/instance", Chart.RELEASE, "app.kubernetes.io/component", "helm-test")));
		assertThat(peers.get(0)).as("the helm test pod").isEqualTo(testPodPeer);
		assertThat(peers.subList(1, peers.size())).isEqualTo(at(Chart.defaultValues(), "networkPolicy.httpFrom"));
		assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();

		Chart.Rendered closed = Chart.templateWith(this.workDir, "networkPolicy:\n  enabled: true\n  httpFrom: []\n");
		List<Map<String, Object>> closedRules = at(closed.get("NetworkPolicy", Chart.FULLNAME), "spec.ingress");
		assertThat((List<Object>) closedRules.get(1).get("from")).as("only the helm test pod without httpFrom")
			.containsExactly(testPodPeer);
	}

	@Test
	void dashboardConfigMapWhenEnabled() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "dashboard:\n  enabled: true\n");
		Map<String, Object> dashboard = rendered.get("ConfigMap", Chart.FULLNAME + "-dashboard");
		assertThat((Map<String, Object>) at(dashboard, "metadata.labels")).containsEntry("grafana_dashboard", "1");
		Map<String, Object> data = at(dashboard, "data");
		assertThat(((String) data.get("tcp-responder.json")).strip())
			.isEqualTo(Repository.read(Repository.DASHBOARD).strip());
		assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
	}

	@Test
	void allOptionalValuesEnableEveryOptionalObject() {
		Chart.Rendered rendered = Chart.template(Repository.CHART.resolve("ci/all-optional-values.yaml"));
		assertThat(rendered.find("ServiceMonitor", Chart.FULLNAME)).isPresent();
		assertThat(rendered.find("PodDisruptionBudget", Chart.FULLNAME)).isPresent();
		assertThat(rendered.find("NetworkPolicy", Chart.FULLNAME)).isPresent();
		assertThat(rendered.find("ConfigMap", Chart.FULLNAME + "-dashboard")).isPresent();
	}

	/** With the PROXY protocol on, the test pod starts with a header that names no client. */
	@Test
	void helmTestPodSendsAProxyHeaderWhereOneIsRequired() {
		Path values = Chart.writeValues(this.workDir,
				Repository.dump(Map.of("responder", Map.of("proxyProtocol", Map.of("enabled", true)))));
		Map<String, Object> pod = Chart.templateWithTestPod(values).get("Pod", Chart.FULLNAME + "-test-connection");
		List<Map<String, Object>> env = at(pod, "spec.containers[0].env");
		assertThat(env).contains(Map.of("name", "PROXY_HEADER", "value", "PROXY UNKNOWN\r\n"));
	}

	@Test
	void helmTestPodChecksTheExactLine() throws Exception {
		Path testTemplate = Repository.CHART.resolve("templates/tests/test-connection.yaml");
		assertThat(Repository.read(testTemplate)).contains("\"helm.sh/hook\": test");

		String message = "custom \"line\"\n";
		Path values = Chart.writeValues(this.workDir, Repository.dump(Map.of("responder", Map.of("message", message))));
		Map<String, Object> pod = Chart.templateWithTestPod(values).get("Pod", Chart.FULLNAME + "-test-connection");

		Map<String, Object> container = at(pod, "spec.containers[0]");
		Map<String, Object> env = new LinkedHashMap<>();
		((List<Map<String, Object>>) container.get("env")).forEach((entry) -> env.put((String) entry.get("name"),
				entry.get("value")));
		assertThat(env).containsEntry("EXPECTED_MESSAGE", message)
			.containsEntry("RESPONDER_HOST", Chart.FULLNAME)
			.containsEntry("RESPONDER_TCP_PORT", "9000")
			.containsEntry("PROXY_HEADER", "");
		assertThat(String.join(" ", (List<String>) container.get("command"))).contains("nc ")
			.contains("$RESPONDER_TCP_PORT")
			.contains("EXPECTED_MESSAGE");
		Map<String, Object> labels = at(pod, "metadata.labels");
		Map<String, Object> serviceSelector = at(Chart.template().service(), "spec.selector");
		assertThat(labels).as("the Service must not select the test pod")
			.matches((podLabels) -> !podLabels.entrySet().containsAll(serviceSelector.entrySet()));
		assertThat(labels).containsEntry("app.kubernetes.io/component", "helm-test")
			.containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
		assertThat((Object) at(pod, "spec.securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat((Object) at(pod, "spec.securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
		assertThat((Object) at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
		assertThat((Object) at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
		assertThat((List<Object>) at(container, "securityContext.capabilities.drop")).containsExactly("ALL");
	}

	@Test
	void notesTellHowToReachTheService() {
		String notes = Repository.read(Repository.CHART.resolve("templates/NOTES.txt"));
		assertThat(notes).contains(".Values.service.tcpPort").contains("/actuator/health").contains("helm test");
	}

	static Map<String, Object> effectiveValues(Path valuesFile) {
		Map<String, Object> defaults = Chart.defaultValues();
		return (valuesFile != null) ? Repository.merge(defaults, Repository.yaml(valuesFile)) : defaults;
	}

	private static Map<String, Object> expectedApplicationConfig(Map<String, Object> values) {
		Map<String, Object> responder = new LinkedHashMap<>();
		responder.put("port", at(values, "responder.port"));
		responder.put("backlog", at(values, "responder.backlog"));
		responder.put("acceptors", at(values, "responder.acceptors"));
		responder.put("reuse-address", at(values, "responder.reuseAddress"));
		responder.put("reuse-port", at(values, "responder.reusePort"));
		responder.put("ipv6-only", at(values, "responder.ipv6Only"));
		responder.put("message", at(values, "responder.message"));
		responder.put("close-mode", at(values, "responder.closeMode"));
		responder.put("client-close-timeout", at(values, "responder.clientCloseTimeout"));
		responder.put("shutdown-timeout", at(values, "responder.shutdownTimeout"));
		responder.put("write-timeout", at(values, "responder.writeTimeout"));
		responder.put("fail-fast", at(values, "responder.failFast"));
		responder.put("retry-bind", at(values, "responder.retryBind"));
		responder.put("tcp", Map.of("refresh-interval", at(values, "responder.tcp.refreshInterval")));
		List<String> bindAddresses = at(values, "responder.bindAddresses");
		String bindAddress = at(values, "responder.bindAddress");
		if (bindAddresses != null && !bindAddresses.isEmpty()) {
			responder.put("bind-addresses", bindAddresses);
		}
		else if (bindAddress != null && !bindAddress.isEmpty()) {
			responder.put("bind-addresses", List.of(bindAddress));
		}
		Map<String, Object> limits = new LinkedHashMap<>();
		limits.put("ipv4-prefix", at(values, "responder.limits.ipv4Prefix"));
		limits.put("ipv6-prefix", at(values, "responder.limits.ipv6Prefix"));
		if (at(values, "responder.limits.maxConnections") != null) {
			limits.put("max-connections", at(values, "responder.limits.maxConnections"));
		}
		if (at(values, "responder.limits.maxConnectionsPerClient") != null) {
			limits.put("max-connections-per-client", at(values, "responder.limits.maxConnectionsPerClient"));
		}
		responder.put("limits", limits);
		responder.put("access-log", Map.of("enabled", at(values, "responder.accessLog.enabled")));
		responder.put("proxy-protocol", Map.of("enabled", at(values, "responder.proxyProtocol.enabled"),
				"trusted-proxies", at(values, "responder.proxyProtocol.trustedProxies"), "header-timeout",
				at(values, "responder.proxyProtocol.headerTimeout")));
		responder.put("security", Map.of("anonymous-reads", at(values, "responder.security.anonymousReads")));
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("responder", responder);
		config.put("server", Map.of("port", at(values, "http.port")));
		if (Boolean.FALSE.equals(at(values, "actuator.writeOperations"))) {
			config.put("management", Map.of("endpoints", Map.of("access", Map.of("max-permitted", "read-only"))));
		}
		if (!"plain".equals(at(values, "logFormat"))) {
			config.put("logging", Map.of("structured", Map.of("format", Map.of("console", at(values, "logFormat")))));
		}
		return Repository.merge(config, at(values, "extraConfig"));
	}

	private static long seconds(String duration) {
		Matcher matcher = DURATION.matcher(duration);
		assertThat(matcher.matches()).as("duration %s", duration).isTrue();
		long amount = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2)) {
			case "ms" -> (amount + 999) / 1000;
			case "s" -> amount;
			case "m" -> amount * 60;
			default -> amount * 3600;
		};
	}

}
