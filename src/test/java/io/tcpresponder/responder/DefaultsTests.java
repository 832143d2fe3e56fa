package io.tcpresponder.responder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each default of the responder's settings lives in one place, the properties, and reaches users through the
 * configuration metadata that Spring Boot's processor makes of them: README's configuration table, the chart's values,
 * the compose file's defaults and {@code application.yml} say the same, or this test names the one that does not.
 */
class DefaultsTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();

	private static final Map<String, String> defaults = new LinkedHashMap<>();

	@BeforeAll
	static void readMetadata() throws IOException {
		try (InputStream in = DefaultsTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
			for (JsonNode property : JsonMapper.builder().build().readTree(in).get("properties")) {
				String name = property.get("name").asString();
				if (name.startsWith("responder.") && property.has("defaultValue")
						&& property.get("defaultValue").isValueNode()) {
					defaults.put(name, property.get("defaultValue").asString());
				}
			}
		}
		assertThat(defaults).as("defaults in the metadata").containsKeys("responder.port", "responder.backlog",
				"responder.reuse-address", "responder.message", "responder.tcp.refresh-interval",
				"responder.limits.ipv4-prefix");
	}

	@Test
	void readmeTableGivesTheMetadatasDefaults() throws IOException {
		assertThat(checkTable("README.md")).as("README rows with a default").isGreaterThanOrEqualTo(15);
	}

	@Test
	void deployGuideGivesTheMetadatasDefaults() throws IOException {
		assertThat(checkTable("docs/deploy.md")).as("docs/deploy.md rows with a default").isGreaterThanOrEqualTo(15);
	}

	/**
	 * Checks each row of a Markdown table that gives a property (or the chart's value of it) and its default in code,
	 * such as {@code | `responder.backlog` | `511` |} or {@code | `responder.tcp.refreshInterval` | `5s` |}; an empty
	 * default ({@code []}, {@code ""}, {@code null}) is none.
	 * @return the rows checked
	 */
	private static int checkTable(String file) throws IOException {
		Matcher rows = Pattern.compile("(?m)^\\| `(responder\\.[A-Za-z0-9.-]+)` \\| `([^`]*)` \\|")
			.matcher(Files.readString(ROOT.resolve(file)));
		int checked = 0;
		while (rows.find()) {
			String property = dashed(rows.group(1));
			if (Set.of("[]", "\"\"", "null").contains(rows.group(2))) {
				continue;
			}
			assertThat(defaults).as("%s's default of %s has one in the metadata", file, property).containsKey(property);
			assertThat(unquoted(rows.group(2))).as("%s's default of %s", file, property)
				.isEqualTo(escaped(defaults.get(property)));
			checked++;
		}
		return checked;
	}

	@Test
	void chartValuesGiveTheMetadatasDefaults() throws IOException {
		Map<String, Object> values = yaml(ROOT.resolve("helm/tcp-responder/values.yaml"));
		Map<String, String> chart = flatten("responder", values.get("responder"));
		int checked = 0;
		for (Map.Entry<String, String> value : chart.entrySet()) {
			if (defaults.containsKey(value.getKey())) {
				assertThat(value.getValue()).as("the chart's default of %s", value.getKey())
					.isEqualTo(defaults.get(value.getKey()));
				checked++;
			}
		}
		assertThat(checked).as("chart values with a default").isGreaterThanOrEqualTo(15);
	}

	@Test
	void composeGivesTheMetadatasDefaults() throws IOException {
		String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
		int checked = 0;
		for (Map.Entry<String, String> property : defaults.entrySet()) {
			String variable = property.getKey().toUpperCase().replace('.', '_').replace('-', '_');
			Matcher given = Pattern.compile("\\$\\{" + variable + ":-([^}]*)}").matcher(compose);
			if (given.find()) {
				assertThat(given.group(1)).as("compose's default of %s", variable).isEqualTo(property.getValue());
				checked++;
			}
		}
		assertThat(checked).as("compose variables with a default").isGreaterThanOrEqualTo(15);
	}

	@Test
	void applicationYmlGivesTheMetadatasDefaults() throws IOException {
		Map<String, String> yml = flatten("responder",
				yaml(ROOT.resolve("src/main/resources/application.yml")).get("responder"));
		assertThat(yml).isNotEmpty();
		yml.forEach((property, value) -> assertThat(value).as("application.yml's %s", property)
			.isEqualTo(defaults.get(property)));
	}

	/** A default written as a YAML string, {@code "..."}, without its quotes. */
	private static String unquoted(String value) {
		return (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) ? value.substring(1,
				value.length() - 1) : value;
	}

	/** The default as README writes it in code: a newline as {@code \n}. */
	private static String escaped(String value) {
		return value.replace("\n", "\\n");
	}

	private static Map<String, Object> yaml(Path path) throws IOException {
		try (InputStream in = Files.newInputStream(path)) {
			return new Yaml().load(in);
		}
	}

	/**
	 * The leaves of a YAML map as properties: nested keys joined by dots, camelCase keys in their dashed form, values
	 * as text; an empty value (null, "", []) is none.
	 */
	private static Map<String, String> flatten(String prefix, Object node) {
		Map<String, String> properties = new LinkedHashMap<>();
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> properties.putAll(flatten(prefix + "." + dashed(key.toString()), value)));
		}
		else if (node != null && !"".equals(node) && !(node instanceof Iterable<?>)) {
			properties.put(prefix, node.toString());
		}
		return properties;
	}

	private static String dashed(String key) {
		return key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
	}

}
