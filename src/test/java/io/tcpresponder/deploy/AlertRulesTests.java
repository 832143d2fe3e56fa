package io.tcpresponder.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tcpresponder.support.Promtool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alerting rules: the chart's PrometheusRule and the rule file of the compose stack's Prometheus are the same
 * rules, Prometheus loads them, and each alert fires on the series that should fire it and not on the others.
 */
class AlertRulesTests {

	/** The compose stack's rules: the chart's, selecting the compose scrape job. */
	private static final String COMPOSE_VALUES = """
			prometheusRule:
			  enabled: true
			  selector: job="tcp-responder"
			""";

	private static Chart.Rendered composeRender;

	@BeforeAll
	static void render(@TempDir Path workDir) {
		composeRender = Chart.templateWith(workDir, COMPOSE_VALUES);
	}

	/**
	 * deploy/prometheus/rules/tcp-responder.rules.yml holds the chart's rule groups with the compose values; after a
	 * change to the chart's rules the message gives the file to write.
	 */
	@Test
	void composeRulesAreTheChartsRules() {
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("groups", at(composeRender.get("PrometheusRule", Chart.FULLNAME), "spec.groups"));
		assertThat(Repository.yaml(Repository.PROMETHEUS_RULES))
			.as("%s, rendered from the chart with%n%s, is:%n%s", Repository.ROOT.relativize(Repository.PROMETHEUS_RULES),
					COMPOSE_VALUES, Repository.dump(expected))
			.isEqualTo(expected);
	}

	@Test
	void promtoolAcceptsTheRules(@TempDir Path workDir) throws IOException, InterruptedException {
		Promtool.assumeInstalled();
		List<Path> files = List.of(Repository.PROMETHEUS_RULES, ruleFile(workDir, Chart.templateWith(workDir,
				"prometheusRule:\n  enabled: true\n"), "defaults.yml"),
				ruleFile(workDir, Chart.template(Repository.CHART.resolve("ci/all-optional-values.yaml")),
						"all-optional.yml"));
		for (Path file : files) {
			Promtool.Result result = Promtool.run("check", "rules", file.toString());
			assertThat(result.exitCode()).as("promtool check rules %s:%n%s", file, result.output()).isZero();
			assertThat(result.output()).contains("SUCCESS");
		}
	}

	/**
	 * promtool's unit tests next to the rules (deploy/prometheus/rules/tcp-responder.rules.test.yml) pass, and hold,
	 * for every alert, a time at which it fires and one at which it does not.
	 */
	@Test
	void everyAlertFiresOnItsSeriesAndOnlyThen() throws IOException, InterruptedException {
		Map<String, Object> tests = Repository.yaml(Repository.PROMETHEUS_RULE_TESTS);
		assertThat((List<String>) tests.get("rule_files")).containsExactly("tcp-responder.rules.yml");
		Set<String> firing = new HashSet<>();
		Set<String> quiet = new HashSet<>();
		for (Map<String, Object> test : (List<Map<String, Object>>) tests.get("tests")) {
			for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
				List<Object> expected = (List<Object>) check.get("exp_alerts");
				((expected == null || expected.isEmpty()) ? quiet : firing).add((String) check.get("alertname"));
			}
		}
		List<String> alerts = alertNames();
		assertThat(firing).as("alerts with a test where they fire").containsExactlyInAnyOrderElementsOf(alerts);
		assertThat(quiet).as("alerts with a test where they do not").containsExactlyInAnyOrderElementsOf(alerts);

		Promtool.assumeInstalled();
		Promtool.Result result = Promtool.run("test", "rules", Repository.PROMETHEUS_RULE_TESTS.toString());
		assertThat(result.exitCode()).as("promtool test rules:%n%s", result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	private static List<String> alertNames() {
		List<Map<String, Object>> rules = at(Repository.yaml(Repository.PROMETHEUS_RULES), "groups[0].rules");
		return rules.stream().map((rule) -> (String) rule.get("alert")).toList();
	}

	private static Path ruleFile(Path workDir, Chart.Rendered rendered, String name) throws IOException {
		Map<String, Object> file = new LinkedHashMap<>();
		file.put("groups", at(rendered.get("PrometheusRule", Chart.FULLNAME), "spec.groups"));
		Path path = workDir.resolve(name);
		Files.writeString(path, Repository.dump(file));
		return path;
	}

}
