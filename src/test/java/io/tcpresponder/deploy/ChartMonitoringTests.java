package io.tcpresponder.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How Prometheus finds the metrics: the Service's scrape annotations, the ServiceMonitor and its options, the
 * PrometheusRule and its values, and what NOTES say about them.
 */
class ChartMonitoringTests {

	private static final Path ALL_OPTIONAL = Repository.CHART.resolve("ci/all-optional-values.yaml");

	private static final Path EXISTING_SECRET = Repository.CHART.resolve("ci/existing-secret-values.yaml");

	@TempDir
	Path workDir;

	/**
	 * Annotation-based scrapers send no credentials: with reads behind them, the annotations would only bring a 401
	 * on every scrape, so they are left out, and NOTES say how Prometheus scrapes instead.
	 */
	@Test
	void scrapeAnnotationsOnlyWhileReadsAreAnonymous() {
		assertThat((Map<String, Object>) at(Chart.template().service(), "metadata.annotations"))
			.containsEntry("prometheus.io/scrape", "true");
		Map<String, Object> closed = Chart.template(EXISTING_SECRET).service();
		assertThat((Map<String, Object>) at(closed, "metadata")).doesNotContainKey("annotations");
		assertThat(Chart.notes(EXISTING_SECRET)).contains("annotation-based scraping cannot send")
			.contains("serviceMonitor.enabled=true")
			.contains("basic_auth");
		assertThat(Chart.notes(ALL_OPTIONAL))
			.contains("the ServiceMonitor " + Chart.FULLNAME + " has Prometheus Operator scrape /actuator/prometheus")
			.contains("with the operator credentials from Secret responder-operator (basicAuth)");
		assertThat(Chart.notes()).contains("prometheus.io/scrape, /port and /path annotations");
	}

	@Test
	void serviceMonitorTakesThePrometheusCommunityOptions() {
		Map<String, Object> monitor = Chart.template(ALL_OPTIONAL).get("ServiceMonitor", Chart.FULLNAME);
		assertThat((Map<String, Object>) at(monitor, "metadata.labels")).containsEntry("release", "prometheus");
		Map<String, Object> endpoint = at(monitor, "spec.endpoints[0]");
		assertThat(endpoint).containsEntry("port", "http")
			.containsEntry("path", "/actuator/prometheus")
			.containsEntry("scheme", "https")
			.containsEntry("interval", "10s")
			.containsEntry("scrapeTimeout", "5s")
			.containsEntry("tlsConfig", Map.of("insecureSkipVerify", true, "serverName", "responder.example.com"))
			.containsEntry("relabelings", List.of(Map.of("sourceLabels", List.of("__meta_kubernetes_pod_node_name"),
					"targetLabel", "node", "action", "replace")))
			.containsEntry("metricRelabelings",
					List.of(Map.of("sourceLabels", List.of("__name__"), "regex", "jvm_.*", "action", "drop")));
		assertThat((Object) at(endpoint, "basicAuth.password.name")).isEqualTo("responder-operator");

		Map<String, Object> elsewhere = Chart
			.templateWith(this.workDir, "serviceMonitor:\n  enabled: true\n  namespace: monitoring\n")
			.get("ServiceMonitor", Chart.FULLNAME);
		assertThat((Object) at(elsewhere, "metadata.namespace")).isEqualTo("monitoring");
		assertThat((List<Object>) at(elsewhere, "spec.namespaceSelector.matchNames")).containsExactly(Chart.NAMESPACE);
	}

	/** The headless Service selects the same pods: the ServiceMonitor leaves it out, or each pod is scraped twice. */
	@Test
	void serviceMonitorSelectsTheServiceOnly() {
		List<HasMetadata> objects = KubernetesModel.read(Chart.template(ALL_OPTIONAL).text());
		ServiceMonitor monitor = objects.stream()
			.filter(ServiceMonitor.class::isInstance)
			.map(ServiceMonitor.class::cast)
			.findFirst()
			.orElseThrow();
		List<String> services = objects.stream()
			.filter(Service.class::isInstance)
			.map(HasMetadata::getMetadata)
			.map(ObjectMeta::getName)
			.toList();
		assertThat(services).containsExactlyInAnyOrder(Chart.FULLNAME, Chart.FULLNAME + "-headless");
		assertThat(objects).filteredOn(Service.class::isInstance)
			.filteredOn((service) -> ApiServerRules.matches(monitor.getSpec().getSelector(),
					service.getMetadata().getLabels()))
			.extracting((service) -> service.getMetadata().getName())
			.containsExactly(Chart.FULLNAME);
	}

	@Test
	void prometheusRuleHasTheAlertsAnOperatorNeeds() {
		Map<String, Object> rule = Chart.templateWith(this.workDir, "prometheusRule:\n  enabled: true\n")
			.get("PrometheusRule", Chart.FULLNAME);
		assertThat((Object) rule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		List<Map<String, Object>> rules = at(rule, "spec.groups[0].rules");
		assertThat(rules).extracting((item) -> item.get("alert"))
			.containsExactly("TcpResponderNotListening", "TcpResponderTargetDown", "TcpResponderListenOverflows",
					"TcpResponderListenDrops", "TcpResponderAcceptQueueNearLimit", "TcpResponderRestartFailed",
					"TcpResponderConnectionsFailing", "TcpResponderConnectionsRefused", "TcpResponderPortFreeNotBound");
		assertThat(rules).allSatisfy((item) -> {
			assertThat((String) item.get("expr")).as("the ServiceMonitor's labels select the series")
				.contains("job=\"" + Chart.FULLNAME + "\", namespace=\"" + Chart.NAMESPACE + "\"");
			assertThat((Map<String, Object>) item.get("labels")).containsKey("severity");
			assertThat((Map<String, Object>) item.get("annotations")).containsKeys("summary", "description");
		});
		assertThat(rules.get(0)).containsEntry("for", "2m");
		assertThat((String) rules.get(0).get("expr")).startsWith("responder_listening{").endsWith("== 0");
	}

	@Test
	void prometheusRuleTakesThresholdsLabelsAndMoreRules() {
		Map<String, Object> rule = Chart.template(ALL_OPTIONAL).get("PrometheusRule", Chart.FULLNAME);
		assertThat((Map<String, Object>) at(rule, "metadata.labels")).containsEntry("release", "prometheus");
		List<Map<String, Object>> rules = at(rule, "spec.groups[0].rules");
		assertThat(rules).extracting((item) -> item.get("alert")).doesNotContain("TcpResponderListenDrops");
		Map<String, Object> failing = rules.stream()
			.filter((item) -> "TcpResponderConnectionsFailing".equals(item.get("alert")))
			.findFirst()
			.orElseThrow();
		assertThat(failing).containsEntry("for", "15m");
		assertThat((String) failing.get("expr")).endsWith("> 0.1");
		assertThat(rules).filteredOn((item) -> item.get("alert") != null)
			.allSatisfy((item) -> assertThat((Map<String, Object>) item.get("labels")).containsEntry("team", "platform"));
		assertThat(rules.get(rules.size() - 1)).isEqualTo(Map.of("record", "tcp_responder:connections_accepted:rate5m",
				"expr", "sum by (namespace) (rate(responder_connections_accepted_total[5m]))"));

		Map<String, Object> elsewhere = Chart
			.templateWith(this.workDir,
					"prometheusRule:\n  enabled: true\n  namespace: monitoring\n  selector: job=\"tcp-responder\"\n")
			.get("PrometheusRule", Chart.FULLNAME);
		assertThat((Object) at(elsewhere, "metadata.namespace")).isEqualTo("monitoring");
		assertThat((String) at(elsewhere, "spec.groups[0].rules[1].expr")).isEqualTo("up{job=\"tcp-responder\"} == 0");
	}

}
