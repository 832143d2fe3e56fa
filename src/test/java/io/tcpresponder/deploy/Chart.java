package io.tcpresponder.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * Runs Helm's own lint and template code on the chart, through helm-java.
 */
final class Chart {

	static final String RELEASE = "rel";

	static final String NAMESPACE = "responders";

	static final String FULLNAME = RELEASE + "-tcp-responder";

	private Chart() {
	}

	/** The chart's ci/*-values.yaml files. */
	static List<Path> ciValuesFiles() {
		try (Stream<Path> files = Files.list(Repository.CHART.resolve("ci"))) {
			return files.filter((file) -> file.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Map<String, Object> defaultValues() {
		return Repository.yaml(Repository.CHART.resolve("values.yaml"));
	}

	/**
	 * {@code helm template} of the chart with the given values files (later ones win).
	 * @param valuesFiles values files
	 * @return the rendered manifests, without hooks
	 */
	static Rendered template(Path... valuesFiles) {
		return templateChart(Repository.CHART, valuesFiles);
	}

	static Rendered templateChart(Path chart, Path... valuesFiles) {
		TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
		for (Path valuesFile : valuesFiles) {
			command = command.withValuesFile(valuesFile);
		}
		String manifests = command.call();
		return new Rendered(manifests, Repository.yamlDocuments(manifests));
	}

	/**
	 * {@code helm template} with values given as YAML text.
	 * @param workDir directory for the values file
	 * @param valuesYaml the values
	 * @return the rendered manifests
	 */
	static Rendered templateWith(Path workDir, String valuesYaml) {
		return template(writeValues(workDir, valuesYaml));
	}

	static Path writeValues(Path workDir, String valuesYaml) {
		try {
			Path file = Files.createTempFile(workDir, "values-", ".yaml");
			Files.writeString(file, valuesYaml);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * {@code helm lint --strict} of the chart with a values file merged over the defaults. helm-java's lint takes
	 * no values files, so the chart is copied with the merged values as its values.yaml.
	 * @param workDir directory for the copy
	 * @param valuesFile the values file, or {@code null} for the defaults
	 * @return the lint result
	 */
	static LintResult lintStrict(Path workDir, Path valuesFile) {
		Path chart = Repository.CHART;
		if (valuesFile != null) {
			chart = copy(workDir);
			Map<String, Object> merged = Repository.merge(defaultValues(), Repository.yaml(valuesFile));
			write(chart.resolve("values.yaml"), Repository.dump(merged));
		}
		return new Helm(chart).lint().strict().call();
	}

	/**
	 * Copy of the chart in {@code workDir}/tcp-responder.
	 * @param workDir the directory to copy into
	 * @return the copy's path
	 */
	static Path copy(Path workDir) {
		Path target = workDir.resolve("tcp-responder");
		try (Stream<Path> files = Files.walk(Repository.CHART)) {
			for (Path source : files.toList()) {
				Path destination = target.resolve(Repository.CHART.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return target;
	}

	static void write(Path file, String text) {
		try {
			Files.writeString(file, text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Rendered manifests.
	 *
	 * @param text the manifests as Helm printed them
	 * @param documents the parsed documents
	 */
	record Rendered(String text, List<Map<String, Object>> documents) {

		List<Map<String, Object>> ofKind(String kind) {
			return this.documents.stream().filter((document) -> kind.equals(document.get("kind"))).toList();
		}

		Optional<Map<String, Object>> find(String kind, String name) {
			return ofKind(kind).stream()
				.filter((document) -> name.equals(Repository.at(document, "metadata.name")))
				.findFirst();
		}

		Map<String, Object> get(String kind, String name) {
			return find(kind, name)
				.orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + this.text));
		}

		Map<String, Object> deployment() {
			return get("Deployment", FULLNAME);
		}

		Map<String, Object> container() {
			return Repository.at(deployment(), "spec.template.spec.containers[0]");
		}

		Map<String, Object> service() {
			return get("Service", FULLNAME);
		}

		/** The application.yml the ConfigMap carries, parsed. */
		Map<String, Object> applicationConfig() {
			Map<String, Object> data = Repository.at(get("ConfigMap", FULLNAME), "data");
			return Repository.yamlString((String) data.get("application.yml"));
		}

		String configChecksum() {
			return Repository.at(deployment(), "spec.template.metadata.annotations.checksum/config");
		}

	}

}
