package io.tcpresponder.deploy;

import java.util.Map;

import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's README.md, which {@code helm show readme} prints: every value of values.yaml with its type, default
 * and description, and nothing else in the table.
 */
class ChartReadmeTests {

	private static final String START = "<!-- values:start -->";

	private static final String END = "<!-- values:end -->";

	private final String readme = Repository.read(Repository.CHART.resolve("README.md"));

	/**
	 * The table between the markers is the one values.yaml and values.schema.json give: a value added, removed,
	 * renamed, retyped, with another default or description, and the README says so too. On a difference the
	 * message holds the table to paste.
	 */
	@Test
	void valuesTableIsValuesYaml() {
		int start = this.readme.indexOf(START);
		int end = this.readme.indexOf(END);
		assertThat(start).as("README.md has %s", START).isNotNegative();
		assertThat(end).as("README.md has %s", END).isGreaterThan(start);
		String table = this.readme.substring(start + START.length(), end).strip();
		String expected = valuesTable();
		assertThat(table).as("the values table of helm/tcp-responder/README.md; expected:%n%s%n", expected)
			.isEqualTo(expected);
	}

	@Test
	void tableHasARowPerDocumentedValue() {
		assertThat(valuesTable().lines().filter((line) -> line.startsWith("| `")).count())
			.isEqualTo(ValuesFile.values().size())
			.isGreaterThan(100);
		assertThat(valuesTable()).contains("| `image.digest` | string | `\"\"` |")
			.contains("| `tmpSizeLimit` | quantity | `\"64Mi\"` |")
			.contains("| `podDisruptionBudget.maxUnavailable` | int or percent | `1` |")
			.contains("| `serviceMonitor.interval` | duration | `\"15s\"` |");
	}

	@Test
	void helmShowReadmePrintsIt() {
		String shown = new Helm(Repository.CHART).show().readme().call();
		assertThat(shown.strip()).isEqualTo(this.readme.strip());
	}

	@Test
	void readmeSaysHowToInstallAndWhatTheHandoverNeeds() {
		assertThat(this.readme).contains("helm upgrade --install")
			.contains("net.ipv4.tcp_migrate_req")
			.contains("pod-security.kubernetes.io/enforce: privileged")
			.contains("--allowed-unsafe-sysctls");
	}

	static String valuesTable() {
		JsonMapper json = JsonMapper.builder().build();
		StringBuilder table = new StringBuilder("| value | type | default | description |\n| --- | --- | --- | --- |\n");
		for (ValuesFile.Key key : ValuesFile.values()) {
			Map<String, Object> schema = ValuesSchema.of(key.path());
			assertThat(schema).as("values.schema.json has %s", key.path()).isNotNull();
			table.append("| `")
				.append(key.path())
				.append("` | ")
				.append(ValuesSchema.typeName(schema))
				.append(" | `")
				.append(json.writeValueAsString(ValuesFile.defaultOf(key.path())))
				.append("` | ")
				.append(key.description().replace("|", "\\|"))
				.append(" |\n");
		}
		return table.toString().strip();
	}

}
