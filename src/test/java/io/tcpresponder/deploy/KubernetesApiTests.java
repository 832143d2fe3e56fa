package io.tcpresponder.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every render of the chart, the `helm test` pod included, as the Kubernetes API would take it: each manifest read
 * strictly into fabric8's model of its kind ({@link KubernetesModel}), then held to the API server's rules on names,
 * labels, ports, quantities and selectors ({@link ApiServerRules}). The value sets are the defaults and every
 * ci/*-values.yaml: among them every optional object on, a digest-pinned image and a name of 63 characters.
 */
class KubernetesApiTests {

	static Stream<Arguments> valuesSets() {
		return HelmChartTests.valuesSets();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesSets")
	void everyManifestIsOneTheApiServerAccepts(String name, Path valuesFile) {
		Chart.Rendered rendered = (valuesFile != null) ? Chart.templateWithTestPod(valuesFile)
				: Chart.templateWithTestPod();
		List<HasMetadata> objects = KubernetesModel.read(rendered.text());
		assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service", "ConfigMap", "Pod");
		assertThat(ApiServerRules.violations(objects)).as("%s renders:%n%s", name, rendered.text()).isEmpty();
	}

	/** A valid manifest: each of {@link #brokenManifests()} changes one thing in it. */
	private static final String VALID = """
			apiVersion: apps/v1
			kind: Deployment
			metadata:
			  name: responder
			  namespace: responders
			  labels: {app: responder}
			spec:
			  selector:
			    matchLabels: {app: responder}
			  template:
			    metadata:
			      labels: {app: responder}
			    spec:
			      containers:
			        - name: responder
			          image: tcp-responder:0.1.0
			          ports: [{name: http, containerPort: 8080}]
			          resources: {limits: {memory: 512Mi}}
			""";

	@Test
	void theValidManifestPasses() {
		assertThat(ApiServerRules.violations(KubernetesModel.read(VALID))).isEmpty();
	}

	/** The check itself: each manifest breaks one rule, and the check names it. */
	static Stream<Arguments> brokenManifests() {
		return Stream.of(Arguments.of("a field the type does not have", broken("containerPort:", "containerport:"),
				"Unrecognized field \"containerport\""),
				Arguments.of("a port given as a string", broken("containerPort: 8080", "containerPort: \"8080\""),
						"containerPort"),
				Arguments.of("a number where a string belongs", broken("image: tcp-responder:0.1.0", "image: 1"),
						"image"),
				Arguments.of("a boolean given as a string", broken("  labels: {app: responder}\nspec:",
						"  labels: {app: responder}\nspec:\n  paused: \"true\""), "paused"),
				Arguments.of("a key given twice", broken("  namespace: responders\n",
						"  namespace: responders\n  namespace: other\n"), "duplicate key namespace"),
				Arguments.of("a label value of 64 characters",
						broken("  labels: {app: responder}\nspec", "  labels: {app: responder, v: " + "x".repeat(64) + "}\nspec"),
						"label value"),
				Arguments.of("a label value with @ and :",
						broken("  labels: {app: responder}\nspec", "  labels: {app: responder, v: \"0.1.0@sha256:ab\"}\nspec"),
						"label value"),
				Arguments.of("a port name of 16 characters", broken("name: http", "name: http-port-of-sixteen"),
						"port name"),
				Arguments.of("a selector that misses the pods",
						broken("    matchLabels: {app: responder}", "    matchLabels: {app: other}"),
						"spec.selector does not match"),
				Arguments.of("a quantity Kubernetes cannot parse", broken("512Mi", "64MB"), "quantity \"64MB\""),
				Arguments.of("a name of 64 characters", broken("  name: responder\n", "  name: " + "r".repeat(64) + "\n"),
						"metadata.name"));
	}

	private static String broken(String valid, String broken) {
		assertThat(VALID).contains(valid);
		return VALID.replaceFirst(java.util.regex.Pattern.quote(valid), java.util.regex.Matcher.quoteReplacement(broken));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("brokenManifests")
	void theCheckRefusesWhatTheApiServerRefuses(String name, String manifest, String reason) {
		assertThatThrownBy(() -> assertThat(ApiServerRules.violations(KubernetesModel.read(manifest))).isEmpty())
			.hasMessageContaining(reason);
	}

}
