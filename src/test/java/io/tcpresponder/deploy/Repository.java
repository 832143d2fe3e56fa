package io.tcpresponder.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Paths of the repository's deployment files and YAML helpers for the deployment tests.
 */
final class Repository {

	/** Root of the repository (Maven runs the tests from the project directory). */
	static final Path ROOT = Path.of("").toAbsolutePath();

	static final Path CHART = ROOT.resolve("helm/tcp-responder");

	static final Path DASHBOARD = CHART.resolve("dashboards/tcp-responder.json");

	static final Path COMPOSE = ROOT.resolve("docker-compose.yml");

	static final Path PROMETHEUS_CONFIG = ROOT.resolve("deploy/prometheus/prometheus.yml");

	static final Path PROMETHEUS_RULES = ROOT.resolve("deploy/prometheus/rules/tcp-responder.rules.yml");

	static final Path PROMETHEUS_RULE_TESTS = ROOT.resolve("deploy/prometheus/rules/tcp-responder.rules.test.yml");

	static final Path GRAFANA_PROVISIONING = ROOT.resolve("deploy/grafana/provisioning");

	private Repository() {
	}

	static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Map<String, Object> yaml(Path path) {
		return yamlString(read(path));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> yamlString(String text) {
		Object loaded = new Yaml().load(text);
		return (loaded != null) ? (Map<String, Object>) loaded : new LinkedHashMap<>();
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> yamlDocuments(String text) {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml().loadAll(text)) {
			if (document != null) {
				documents.add((Map<String, Object>) document);
			}
		}
		return documents;
	}

	/** YAML in block style, as a person writes it. */
	static String dump(Map<String, Object> values) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setIndent(2);
		options.setIndicatorIndent(2);
		options.setIndentWithIndicator(true);
		options.setSplitLines(false);
		return new Yaml(options).dump(values);
	}

	/**
	 * Value at a dotted path of nested maps, with {@code [n]} for list items, e.g.
	 * {@code spec.template.spec.containers[0].ports}.
	 * @param root the root map
	 * @param path the dotted path
	 * @param <T> the expected type
	 * @return the value, or {@code null} when a step is missing
	 */
	@SuppressWarnings("unchecked")
	static <T> T at(Object root, String path) {
		Object current = root;
		for (String step : path.split("\\.")) {
			String key = step;
			Integer index = null;
			int bracket = step.indexOf('[');
			if (bracket >= 0) {
				key = step.substring(0, bracket);
				index = Integer.valueOf(step.substring(bracket + 1, step.length() - 1));
			}
			if (!key.isEmpty()) {
				if (!(current instanceof Map<?, ?> map)) {
					return null;
				}
				current = map.get(key);
			}
			if (index != null) {
				if (!(current instanceof List<?> list) || list.size() <= index) {
					return null;
				}
				current = list.get(index);
			}
		}
		return (T) current;
	}

	/**
	 * Deep merge of {@code overrides} into a copy of {@code base}, as Helm merges values files.
	 * @param base the base map
	 * @param overrides the overriding map
	 * @return the merged copy
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
		Map<String, Object> merged = new LinkedHashMap<>(base);
		overrides.forEach((key, value) -> {
			Object existing = merged.get(key);
			if (existing instanceof Map<?, ?> existingMap && value instanceof Map<?, ?> valueMap) {
				merged.put(key, merge((Map<String, Object>) existingMap, (Map<String, Object>) valueMap));
			}
			else {
				merged.put(key, value);
			}
		});
		return merged;
	}

}
