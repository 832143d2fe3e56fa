package io.tcpresponder.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tcpresponder.support.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard the chart ships and docker-compose.yml mounts, checked against the running service.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class DashboardTests {

	@SuppressWarnings("unchecked")
	private final Map<String, Object> dashboard = JsonMapper.builder()
		.build()
		.readValue(Repository.DASHBOARD.toFile(), Map.class);

	@Test
	void datasourceIsATemplateVariable() {
		List<Map<String, Object>> variables = at(this.dashboard, "templating.list");
		assertThat(variables).anySatisfy((variable) -> assertThat(variable).containsEntry("name", "datasource")
			.containsEntry("type", "datasource")
			.containsEntry("query", "prometheus"));
		for (Map<String, Object> panel : panels()) {
			assertThat((Object) at(panel, "datasource.uid")).as("datasource of %s", panel.get("title"))
				.isEqualTo("${datasource}");
		}
	}

	@Test
	void everyPanelHasAPromQlTarget() {
		assertThat(panels()).isNotEmpty();
		for (Map<String, Object> panel : panels()) {
			List<Map<String, Object>> targets = at(panel, "targets");
			assertThat(targets).as("targets of %s", panel.get("title")).isNotEmpty();
			for (Map<String, Object> target : targets) {
				assertThat((String) target.get("expr")).as("expr of %s", panel.get("title")).isNotBlank();
				assertThat((String) target.get("refId")).isNotBlank();
			}
		}
		assertThat(panels()).extracting((panel) -> panel.get("id")).doesNotHaveDuplicates();
	}

	@LocalServerPort
	private int httpPort;

	/**
	 * Every metric a panel asks for is one the running service exports, read from its live
	 * {@code /actuator/prometheus}, so that the dashboard cannot drift from the code.
	 */
	@Test
	void expressionsUseMetricsTheServiceExports() {
		Set<String> exported = ExportedMetrics.of(this.httpPort);
		assertThat(exported).contains("responder_tcp_sockets");
		List<String> used = new ArrayList<>();
		for (String expression : expressions()) {
			used.addAll(ExportedMetrics.usedBy(expression));
		}
		assertThat(used).isNotEmpty().isSubsetOf(exported);
	}

	@Test
	void panelsCoverTheIssue() {
		List<String> expressions = expressions();
		assertThat(expressions).anyMatch((expr) -> expr.contains("sum by (state) (responder_tcp_sockets"));
		assertThat(expressions).anyMatch((expr) -> expr.contains("rate(responder_connections_accepted_total"));
		assertThat(expressions).anyMatch((expr) -> expr.contains("rate(responder_connections_completed_total"));
		assertThat(expressions).anyMatch((expr) -> expr.contains("sum by (reason) (rate(responder_connections_failed_total"));
		assertThat(expressions).anyMatch((expr) -> expr.contains("sum by (outcome)") && expr.contains("responder_restarts_total"));
		assertThat(panels()).anySatisfy((panel) -> {
			List<Map<String, Object>> targets = at(panel, "targets");
			assertThat(targets).extracting((target) -> (String) target.get("expr"))
				.anyMatch((expr) -> expr.contains("responder_tcp_accept_queue_depth"))
				.anyMatch((expr) -> expr.contains("responder_tcp_accept_queue_limit"));
		});
	}

	/**
	 * promtool parses every expression, with Grafana's variables replaced by values Prometheus accepts.
	 */
	@Test
	void expressionsArePromQl(@TempDir Path workDir) throws IOException, InterruptedException {
		Promtool.assumeInstalled();
		StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
		int index = 0;
		for (String expression : expressions()) {
			String concrete = expression.replace("$__rate_interval", "1m")
				.replace("$__range", "1h")
				.replace("$application", "tcp-responder")
				.replace("$instance", ".*");
			assertThat(concrete).as("expression with every variable replaced").doesNotContain("$");
			rules.append("      - record: dashboard:expression_")
				.append(index++)
				.append("\n        expr: ")
				.append(JsonMapper.builder().build().writeValueAsString(concrete))
				.append("\n");
		}
		Path file = workDir.resolve("dashboard-rules.yml");
		Files.writeString(file, rules);
		Promtool.Result result = Promtool.run("check", "rules", file.toString());
		assertThat(result.exitCode()).as("promtool check rules:\n%s", result.output()).isZero();
	}

	private List<Map<String, Object>> panels() {
		return at(this.dashboard, "panels");
	}

	private List<String> expressions() {
		List<String> expressions = new ArrayList<>();
		for (Map<String, Object> panel : panels()) {
			List<Map<String, Object>> targets = at(panel, "targets");
			targets.forEach((target) -> expressions.add((String) target.get("expr")));
		}
		return expressions;
	}

}
