package io.tcpresponder.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.tcpresponder.support.Promtool;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docker-compose.yml, the Prometheus scrape configuration and the Grafana provisioning it mounts.
 */
class ComposeTests {

	private static final Pattern DEFAULTED = Pattern.compile("\\$\\{([A-Z0-9_]+):-(.*)}", Pattern.DOTALL);

	private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?:(:-|:\\?)([^}]*))?}");

	/** Helm value (under responder) for each responder.* property the compose file sets. */
	private static final Map<String, String> HELM_VALUE_OF_PROPERTY = Map.ofEntries(Map.entry("responder.backlog", "backlog"),
			Map.entry("responder.acceptors", "acceptors"),
			Map.entry("responder.bind-addresses", "bindAddresses"),
			Map.entry("responder.reuse-address", "reuseAddress"), Map.entry("responder.reuse-port", "reusePort"),
			Map.entry("responder.ipv6-only", "ipv6Only"),
			Map.entry("responder.message", "message"), Map.entry("responder.close-mode",
			"closeMode"), Map.entry("responder.client-close-timeout", "clientCloseTimeout"),
			Map.entry("responder.shutdown-timeout", "shutdownTimeout"), Map.entry("responder.write-timeout", "writeTimeout"),
			Map.entry("responder.fail-fast", "failFast"), Map.entry("responder.retry-bind", "retryBind"), Map.entry("responder.tcp.refresh-interval", "tcp.refreshInterval"),
			Map.entry("responder.security.anonymous-reads", "security.anonymousReads"),
			Map.entry("responder.limits.max-connections", "limits.maxConnections"),
			Map.entry("responder.limits.max-connections-per-client", "limits.maxConnectionsPerClient"),
			Map.entry("responder.limits.ipv4-prefix", "limits.ipv4Prefix"),
			Map.entry("responder.limits.ipv6-prefix", "limits.ipv6Prefix"),
			Map.entry("responder.access-log.enabled", "accessLog.enabled"),
			Map.entry("responder.proxy-protocol.enabled", "proxyProtocol.enabled"),
			Map.entry("responder.proxy-protocol.trusted-proxies", "proxyProtocol.trustedProxies"),
			Map.entry("responder.proxy-protocol.header-timeout", "proxyProtocol.headerTimeout"));

	/** Variables of the responder service that are Spring Boot's own settings rather than responder.* ones. */
	private static final List<String> SPRING_VARIABLES = List.of("SPRING_SECURITY_USER_NAME",
			"SPRING_SECURITY_USER_PASSWORD", "MANAGEMENT_ENDPOINTS_ACCESS_MAX_PERMITTED");

	private final Map<String, Object> compose = Repository.yaml(Repository.COMPOSE);

	@Test
	void declaresResponderPrometheusAndGrafana() {
		Map<String, Object> services = at(this.compose, "services");
		assertThat(services).containsKeys("responder", "prometheus", "grafana");
		assertThat((String) at(services, "prometheus.image")).startsWith("prom/prometheus:");
		assertThat((String) at(services, "grafana.image")).startsWith("grafana/grafana:");
		assertThat((String) at(services, "responder.image")).contains("tcp-responder");
	}

	@Test
	void responderPublishesTcpAndHttpPorts() {
		List<String> ports = at(this.compose, "services.responder.ports");
		assertThat(ports).extracting((port) -> port.substring(port.lastIndexOf(':') + 1))
			.containsExactlyInAnyOrder("9000", "8080");
	}

	@Test
	void responderHealthcheckAsksReadiness() {
		List<String> test = at(this.compose, "services.responder.healthcheck.test");
		assertThat(String.join(" ", test)).contains("/actuator/health/readiness").contains("8080");
	}

	/**
	 * Every environment variable of the responder service is one Spring Boot maps to a responder.* setting, and its
	 * default is the chart's default for that setting.
	 */
	@Test
	void responderSettingsAreOverridableByEnvironment() {
		Map<String, Object> environment = at(this.compose, "services.responder.environment");
		Map<String, Object> helmResponder = at(Chart.defaultValues(), "responder");
		Map<String, String> propertyOfVariable = new LinkedHashMap<>();
		environment.forEach((variable, value) -> {
			if (SPRING_VARIABLES.contains(variable)) {
				return;
			}
			if (value == null) {
				// passed through from the shell only when set there: the application's default applies otherwise
				String property = HELM_VALUE_OF_PROPERTY.keySet()
					.stream()
					.filter((candidate) -> springSees(variable, "x", candidate))
					.findFirst()
					.orElseThrow(() -> new AssertionError(variable + " binds to no known responder.* property"));
				propertyOfVariable.put(variable, property);
				return;
			}
			Matcher matcher = DEFAULTED.matcher(String.valueOf(value));
			assertThat(matcher.matches()).as("%s is ${%s:-default}", variable, variable).isTrue();
			assertThat(matcher.group(1)).isEqualTo(variable);
			String property = HELM_VALUE_OF_PROPERTY.keySet()
				.stream()
				.filter((candidate) -> springSees(variable, matcher.group(2), candidate))
				.findFirst()
				.orElseThrow(() -> new AssertionError(variable + " binds to no known responder.* property"));
			propertyOfVariable.put(variable, property);
			Object helmDefault = at(helmResponder, HELM_VALUE_OF_PROPERTY.get(property));
			assertThat(matcher.group(2)).as("default of %s", variable).isEqualTo(String.valueOf(helmDefault));
		});
		assertThat(propertyOfVariable.values()).as("every responder.* setting but the port is overridable")
			.containsExactlyInAnyOrderElementsOf(HELM_VALUE_OF_PROPERTY.keySet());
		assertThat(environment).containsEntry("RESPONDER_REUSE_ADDRESS", "${RESPONDER_REUSE_ADDRESS:-true}");
	}

	/**
	 * The operator credentials come from the shell or an .env file: the user name defaults to the chart's, the
	 * password and the read-only switch are passed through only when set, so no password is kept in the repository.
	 */
	@Test
	void operatorCredentialsArePassedThroughWithoutADefaultPassword() {
		Map<String, Object> environment = at(this.compose, "services.responder.environment");
		assertThat(environment).containsEntry("SPRING_SECURITY_USER_NAME",
				"${SPRING_SECURITY_USER_NAME:-" + at(Chart.defaultValues(), "credentials.username") + "}");
		assertThat(environment).containsKey("SPRING_SECURITY_USER_PASSWORD")
			.containsKey("MANAGEMENT_ENDPOINTS_ACCESS_MAX_PERMITTED");
		assertThat(environment.get("SPRING_SECURITY_USER_PASSWORD")).as("passed through, no default").isNull();
		assertThat(environment.get("MANAGEMENT_ENDPOINTS_ACCESS_MAX_PERMITTED")).as("passed through").isNull();
		assertThat(springSees("SPRING_SECURITY_USER_PASSWORD", "x", "spring.security.user.password")).isTrue();
		assertThat(springSees("SPRING_SECURITY_USER_NAME", "x", "spring.security.user.name")).isTrue();
		assertThat(springSees("MANAGEMENT_ENDPOINTS_ACCESS_MAX_PERMITTED", "read-only",
				"management.endpoints.access.max-permitted")).isTrue();
		assertThat(Repository.read(Repository.COMPOSE)).doesNotContainPattern("SPRING_SECURITY_USER_PASSWORD:[ \\t]*[^ \\t\\r\\n]");
	}

	@Test
	void prometheusScrapesTheResponderActuator() {
		Map<String, Object> config = Repository.yaml(Repository.PROMETHEUS_CONFIG);
		List<Map<String, Object>> jobs = at(config, "scrape_configs");
		assertThat(jobs).hasSize(1);
		Map<String, Object> job = jobs.get(0);
		assertThat(job).containsEntry("metrics_path", "/actuator/prometheus").containsEntry("scrape_interval", "5s");
		List<String> targets = at(job, "static_configs[0].targets");
		assertThat(targets).hasSize(1);
		String[] target = targets.get(0).split(":");
		assertThat(target[0]).as("target host is the compose service").isEqualTo("responder");
		assertThat((Map<String, Object>) at(this.compose, "services")).containsKey(target[0]);
		List<String> ports = at(this.compose, "services.responder.ports");
		assertThat(ports).as("target port is the responder's HTTP port").anyMatch((port) -> port.endsWith(":" + target[1]));
		assertThat(target[1]).isEqualTo("8080");

		List<String> volumes = at(this.compose, "services.prometheus.volumes");
		assertThat(volumes).contains("./deploy/prometheus:/etc/prometheus:ro");
		assertThat((List<String>) at(this.compose, "services.prometheus.command"))
			.contains("--config.file=/etc/prometheus/prometheus.yml");
	}

	/** promtool checks the configuration and the rule files it loads, found as Prometheus finds them. */
	@Test
	void promtoolAcceptsThePrometheusConfigAndItsRules() throws IOException, InterruptedException {
		Promtool.assumeInstalled();
		Promtool.Result result = Promtool.run("check", "config", Repository.PROMETHEUS_CONFIG.toString());
		assertThat(result.exitCode()).as("promtool check config:\n%s", result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS: 1 rule files found")
			.contains("Checking " + Repository.PROMETHEUS_RULES)
			.containsPattern("SUCCESS: [1-9][0-9]* rules found");
	}

	/** Prometheus reads its rule files relative to its configuration, in the directory compose mounts. */
	@Test
	void prometheusLoadsTheChartsAlertRules() {
		Map<String, Object> config = Repository.yaml(Repository.PROMETHEUS_CONFIG);
		assertThat((List<String>) config.get("rule_files")).singleElement()
			.satisfies((file) -> assertThat(Repository.PROMETHEUS_CONFIG.resolveSibling(file))
				.isEqualTo(Repository.PROMETHEUS_RULES));
	}

	/** Every port is published on 127.0.0.1 unless PUBLISH_ADDRESS opens it. */
	@Test
	void portsArePublishedOnLoopbackUnlessOpened() {
		Map<String, Map<String, Object>> services = at(this.compose, "services");
		services.forEach((name, service) -> {
			List<String> ports = (List<String>) service.get("ports");
			assertThat(ports).as("ports of %s", name).isNotEmpty();
			for (String port : ports) {
				assertThat(interpolate(port, Map.of())).as("%s port %s", name, port).startsWith("127.0.0.1:");
				assertThat(interpolate(port, Map.of("PUBLISH_ADDRESS", "0.0.0.0"))).startsWith("0.0.0.0:");
				assertThat(interpolate(port, Map.of()).split(":")).hasSize(3);
			}
		});
	}

	/** Grafana's admin password comes from the environment: without it Compose refuses to start. */
	@Test
	void grafanaAdminPasswordComesFromTheEnvironment() {
		String password = String.valueOf((Object) at(this.compose, "services.grafana.environment.GF_SECURITY_ADMIN_PASSWORD"));
		assertThat(interpolate(password, Map.of("GRAFANA_ADMIN_PASSWORD", "s3cret"))).isEqualTo("s3cret");
		assertThatThrownBy(() -> interpolate(password, Map.of()))
			.hasMessageContaining("set GRAFANA_ADMIN_PASSWORD in the shell or in .env");
		assertThatThrownBy(() -> interpolate(password, Map.of("GRAFANA_ADMIN_PASSWORD", ""))).as("empty is unset")
			.isInstanceOf(IllegalStateException.class);
		assertThat(Repository.read(Repository.ROOT.resolve(".gitignore")).lines()).contains(".env");
	}

	/** The responder gets the chart's memory request and limit, so the JVM sizes its heap from them. */
	@Test
	void responderMemoryIsTheChartsLimit() {
		Map<String, Object> responder = at(this.compose, "services.responder");
		Map<String, Object> resources = at(Chart.defaultValues(), "resources");
		assertThat(composeBytes((String) responder.get("mem_limit")))
			.isEqualTo(kubernetesBytes(at(resources, "limits.memory")));
		assertThat(composeBytes((String) responder.get("mem_reservation")))
			.isEqualTo(kubernetesBytes(at(resources, "requests.memory")));
	}

	@Test
	void prometheusAndGrafanaHaveHealthchecks() {
		assertThat(String.join(" ", (List<String>) at(this.compose, "services.prometheus.healthcheck.test")))
			.isEqualTo("CMD wget -q -O /dev/null http://127.0.0.1:9090/-/ready");
		assertThat(String.join(" ", (List<String>) at(this.compose, "services.grafana.healthcheck.test")))
			.isEqualTo("CMD wget -q -O /dev/null http://127.0.0.1:3000/api/health");
		assertThat((Object) at(this.compose, "services.grafana.depends_on.prometheus.condition"))
			.isEqualTo("service_healthy");
		// started, not healthy: Prometheus must also scrape and alert on a responder that is not ready
		assertThat((Object) at(this.compose, "services.prometheus.depends_on.responder.condition"))
			.isEqualTo("service_started");
		for (String service : List.of("responder", "prometheus", "grafana")) {
			Map<String, Object> healthcheck = at(this.compose, "services." + service + ".healthcheck");
			assertThat(healthcheck).as(service).containsKeys("interval", "timeout", "retries", "start_period");
		}
	}

	/** Every variable docker-compose.yml reads is in docs/deploy.md's table, with its default. */
	@Test
	void composeVariablesAreDocumented() {
		String docs = Repository.read(Repository.ROOT.resolve("docs/deploy.md"));
		Matcher variable = INTERPOLATION.matcher(Repository.read(Repository.COMPOSE));
		int count = 0;
		while (variable.find()) {
			count++;
			assertThat(docs).as("docs/deploy.md documents %s", variable.group(1)).contains("`" + variable.group(1) + "`");
			if (":-".equals(variable.group(2))) {
				assertThat(docs).as("docs/deploy.md gives the default of %s", variable.group(1))
					.containsPattern("\\| `" + variable.group(1) + "`[^\\n]*\\| [^\\n]*`" + Pattern.quote(variable.group(3)) + "`");
			}
		}
		assertThat(count).isGreaterThan(10);
	}

	@Test
	void readmeSaysComposeV2() {
		String readme = Repository.read(Repository.ROOT.resolve("README.md"));
		String deploy = readme.substring(readme.indexOf("## Deploy"));
		assertThat(deploy).contains("Compose v2").contains("docker compose up").doesNotContain("docker-compose up");
		assertThat(Repository.read(Repository.COMPOSE)).contains("Docker Compose v2");
	}

	/**
	 * Compose's interpolation of ${VAR}, ${VAR:-default} and ${VAR:?error} (unset or empty counts as missing).
	 * @param text the text
	 * @param environment the variables set
	 * @return the text with the variables replaced
	 */
	private static String interpolate(String text, Map<String, String> environment) {
		Matcher matcher = INTERPOLATION.matcher(text);
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			String value = environment.get(matcher.group(1));
			boolean missing = value == null || value.isEmpty();
			if (missing && ":?".equals(matcher.group(2))) {
				throw new IllegalStateException("required variable " + matcher.group(1) + ": " + matcher.group(3));
			}
			String replacement = (missing && ":-".equals(matcher.group(2))) ? matcher.group(3)
					: (value != null) ? value : "";
			matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(result);
		return result.toString();
	}

	/** Compose's byte values: a number with b, k, m or g (binary multiples). */
	private static long composeBytes(String value) {
		Matcher matcher = Pattern.compile("([0-9]+)([bkmg]?)").matcher(value.toLowerCase(java.util.Locale.ROOT));
		assertThat(matcher.matches()).as("compose byte value %s", value).isTrue();
		long number = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2)) {
			case "k" -> number << 10;
			case "m" -> number << 20;
			case "g" -> number << 30;
			default -> number;
		};
	}

	private static long kubernetesBytes(String quantity) {
		return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(quantity))
			.longValueExact();
	}

	@Test
	void grafanaIsProvisionedFromTheRepository() {
		List<String> volumes = at(this.compose, "services.grafana.volumes");
		assertThat(volumes).contains("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
		String dashboardMount = volumes.stream()
			.filter((volume) -> volume.startsWith("./helm/tcp-responder/dashboards:"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("the chart's dashboards folder is not mounted"));
		String dashboardPath = dashboardMount.split(":")[1];

		Map<String, Object> datasources = Repository
			.yaml(Repository.GRAFANA_PROVISIONING.resolve("datasources/prometheus.yml"));
		assertThat((Object) at(datasources, "datasources[0].type")).isEqualTo("prometheus");
		assertThat((Object) at(datasources, "datasources[0].url")).isEqualTo("http://prometheus:9090");
		List<String> prometheusPorts = at(this.compose, "services.prometheus.ports");
		assertThat(prometheusPorts).anyMatch((port) -> port.endsWith(":9090"));

		Map<String, Object> providers = Repository
			.yaml(Repository.GRAFANA_PROVISIONING.resolve("dashboards/tcp-responder.yml"));
		assertThat((Object) at(providers, "providers[0].type")).isEqualTo("file");
		assertThat((Object) at(providers, "providers[0].options.path")).isEqualTo(dashboardPath);
	}

	@Test
	void dashboardJsonLivesInOnePlace() throws IOException {
		try (Stream<Path> files = Files.walk(Repository.ROOT)) {
			List<Path> dashboards = files
				.filter((file) -> !file.startsWith(Repository.ROOT.resolve("target"))
						&& !file.startsWith(Repository.ROOT.resolve(".git")))
				.filter((file) -> file.toString().endsWith(".json"))
				.filter((file) -> Repository.read(file).contains("\"panels\""))
				.toList();
			assertThat(dashboards).containsExactly(Repository.DASHBOARD);
		}
	}

	private static boolean springSees(String variable, String value, String property) {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				Map.of(variable, value)));
		for (ConfigurationPropertySource source : ConfigurationPropertySources.from(sources)) {
			if (source.getConfigurationProperty(ConfigurationPropertyName.of(property)) != null) {
				return true;
			}
		}
		return false;
	}

}
