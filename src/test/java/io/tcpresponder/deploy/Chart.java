package io.tcpresponder.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * Runs Helm's own lint, template and install (dry run) code on the chart, through helm-java.
 * <p>
 * Templates and installs render the chart directory itself as Kubernetes {@link #KUBE_VERSION}: helm-java's library
 * would otherwise render as Helm's built-in default, v1.20.0 (the helm command is built with its client-go's version
 * instead), which the chart's kubeVersion refuses.
 */
final class Chart {

	/**
	 * The Kubernetes version every render assumes: the lowest minor the chart's kubeVersion ({@code >=1.25.0-0})
	 * admits. {@code ChartMetadataTests} holds it to Chart.yaml.
	 */
	static final String KUBE_VERSION = "1.25.0";

	static final String RELEASE = "rel";

	static final String NAMESPACE = "responders";

	static final String FULLNAME = RELEASE + "-tcp-responder";

	/** A copy of the chart with the `helm test` pod as a plain object: helm-java's template leaves hooks out. */
	private static final Path WITH_TEST_POD = copyWithTestPod();

	/** Renders of the repository's values files, shared by every test class: each set is rendered once. */
	private static final Map<List<Object>, Rendered> renders = new ConcurrentHashMap<>();

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
	 * {@code helm template} of the chart with the given values files (later ones win), rendered once per set.
	 * @param valuesFiles values files
	 * @return the rendered manifests, without hooks
	 */
	static Rendered template(Path... valuesFiles) {
		return renders.computeIfAbsent(List.of(false, List.of(valuesFiles)),
				(key) -> templateChart(Repository.CHART, valuesFiles));
	}

	/**
	 * {@code helm template} with the `helm test` pod among the manifests, rendered once per set.
	 * @param valuesFiles values files
	 * @return the rendered manifests, the test pod included
	 */
	static Rendered templateWithTestPod(Path... valuesFiles) {
		return renders.computeIfAbsent(List.of(true, List.of(valuesFiles)),
				(key) -> templateChart(WITH_TEST_POD, valuesFiles));
	}

	static Rendered templateChart(Path chart, Path... valuesFiles) {
		TemplateCommand command = new Helm(chart).template()
			.withName(RELEASE)
			.withNamespace(NAMESPACE)
			.withKubeVersion(KUBE_VERSION);
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
		return templateChart(Repository.CHART, writeValues(workDir, valuesYaml));
	}

	/**
	 * The NOTES Helm prints after an install, from {@code helm install --dry-run} without a cluster.
	 * @param valuesFiles values files
	 * @return the rendered NOTES.txt
	 */
	static String notes(Path... valuesFiles) {
		InstallCommand command = new Helm(Repository.CHART).install()
			.withName(RELEASE)
			.withNamespace(NAMESPACE)
			.withKubeVersion(KUBE_VERSION)
			.dryRun()
			.clientOnly();
		for (Path valuesFile : valuesFiles) {
			command = command.withValuesFile(valuesFile);
		}
		String output = command.call().getOutput();
		int notes = output.indexOf("NOTES:\n");
		if (notes < 0) {
			throw new AssertionError("no NOTES in:\n" + output);
		}
		return output.substring(notes + "NOTES:\n".length());
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
	 * no values files, so the chart is copied with the merged values as its values.yaml. It takes no Kubernetes
	 * version either: Helm's lint does not hold the chart to its kubeVersion, and no template reads
	 * {@code .Capabilities}.
	 * @param workDir directory for the copy
	 * @param valuesFile the values file, or {@code null} for the defaults
	 * @return the lint result
	 */
	static LintResult lintStrict(Path workDir, Path valuesFile) {
		Path chart = Repository.CHART;
		if (valuesFile != null) {
			chart = copy(Repository.CHART, workDir.resolve("tcp-responder"));
			Map<String, Object> merged = Repository.merge(defaultValues(), Repository.yaml(valuesFile));
			write(chart.resolve("values.yaml"), Repository.dump(merged));
		}
		return new Helm(chart).lint().strict().call();
	}

	/**
	 * A copy of the chart whose `helm test` pod has no hook annotations, so that helm template renders it, in a
	 * directory removed when the JVM exits.
	 * @return the copy's path
	 */
	private static Path copyWithTestPod() {
		try {
			Path directory = Files.createTempDirectory("chart-");
			Path chart = copy(Repository.CHART, directory.resolve("tcp-responder"));
			Path testPod = chart.resolve("templates/tests/test-connection.yaml");
			write(testPod, withoutLines(Repository.read(testPod), "\"helm.sh/hook"));
			Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory)));
			return chart;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String withoutLines(String text, String start) {
		List<String> kept = new ArrayList<>();
		text.lines().filter((line) -> !line.strip().startsWith(start)).forEach(kept::add);
		return String.join("\n", kept) + "\n";
	}

	private static Path copy(Path source, Path target) {
		try (Stream<Path> files = Files.walk(source)) {
			for (Path file : files.toList()) {
				Path destination = target.resolve(source.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return target;
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
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

		/** The release's one Deployment. */
		Map<String, Object> deployment() {
			List<Map<String, Object>> deployments = ofKind("Deployment");
			if (deployments.size() != 1) {
				throw new AssertionError(deployments.size() + " Deployments in:\n" + this.text);
			}
			return deployments.get(0);
		}

		/** The full name the chart gave this release's objects: the Deployment's name. */
		String fullname() {
			return Repository.at(deployment(), "metadata.name");
		}

		Map<String, Object> container() {
			return Repository.at(deployment(), "spec.template.spec.containers[0]");
		}

		/** The Service of the release (not the headless one). */
		Map<String, Object> service() {
			return get("Service", fullname());
		}

		/** The application.yml the ConfigMap carries, parsed. */
		Map<String, Object> applicationConfig() {
			Map<String, Object> data = Repository.at(get("ConfigMap", fullname()), "data");
			return Repository.yamlString((String) data.get("application.yml"));
		}

		String configChecksum() {
			return Repository.at(deployment(), "spec.template.metadata.annotations.checksum/config");
		}

	}

}
