package io.tcpresponder.deploy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image reference, the version label and the names the chart gives its objects.
 */
class ChartNamesTests {

	private static final String DIGEST = "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945";

	@TempDir
	Path workDir;

	@Test
	void defaultsPullTheAppVersionTag() {
		Chart.Rendered rendered = Chart.template();
		String appVersion = appVersion();
		assertThat((Object) at(rendered.container(), "image")).isEqualTo("tcp-responder:" + appVersion);
		assertThat(versionLabels(rendered)).containsOnly(appVersion);
	}

	@Test
	void digestWinsOverTheTagAndTheVersionLabelStaysAValidValue() {
		Chart.Rendered rendered = Chart.template(Repository.CHART.resolve("ci/digest-image-values.yaml"));
		assertThat((Object) at(rendered.container(), "image"))
			.isEqualTo("registry.example.com/team/tcp-responder@" + DIGEST);
		assertThat(versionLabels(rendered)).containsOnly(appVersion());
	}

	@Test
	void aDigestInTheTagIsPulledAsWrittenAndLabelledWithTheAppVersion() {
		Chart.Rendered rendered = Chart.template(Repository.CHART.resolve("ci/digest-in-tag-values.yaml"));
		assertThat((Object) at(rendered.container(), "image")).isEqualTo("tcp-responder:0.1.0@" + DIGEST);
		assertThat(versionLabels(rendered)).containsOnly(appVersion());
	}

	@Test
	void aPlainTagIsTheVersionLabel() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir,
				"image:\n  registry: registry.example.com:5000\n  repository: team/responder\n  tag: 0.2.0-rc.1\n");
		assertThat((Object) at(rendered.container(), "image"))
			.isEqualTo("registry.example.com:5000/team/responder:0.2.0-rc.1");
		assertThat(versionLabels(rendered)).containsOnly("0.2.0-rc.1");
	}

	/**
	 * With a name of 63 characters every object name stays a DNS label, each suffixed name keeps its suffix (so no
	 * two objects of a kind share a name), and the test pod's name label stays within 63 characters.
	 */
	@Test
	void aLongNameIsCutAsHelmCreateCutsIt() {
		Chart.Rendered rendered = Chart.templateWithTestPod(Repository.CHART.resolve("ci/long-name-values.yaml"));
		String fullname = rendered.fullname();
		assertThat(fullname).hasSize(63).startsWith(Chart.RELEASE + "-responder-with-a-name");
		Set<String> kindAndName = new HashSet<>();
		for (Map<String, Object> document : rendered.documents()) {
			String name = at(document, "metadata.name");
			assertThat(name).hasSizeLessThanOrEqualTo(63).doesNotEndWith("-");
			assertThat(kindAndName.add(document.get("kind") + "/" + name)).as("%s %s once", document.get("kind"), name)
				.isTrue();
		}
		assertThat(rendered.documents()).extracting((document) -> (String) at(document, "metadata.name"))
			.anyMatch((name) -> name.endsWith("-headless"))
			.anyMatch((name) -> name.endsWith("-credentials"))
			.anyMatch((name) -> name.endsWith("-dashboard"))
			.anyMatch((name) -> name.endsWith("-test-connection"));
		List<Map<String, Object>> pods = rendered.ofKind("Pod");
		assertThat(pods).hasSize(1);
		Map<String, Object> labels = at(pods.get(0), "metadata.labels");
		assertThat((String) labels.get("app.kubernetes.io/name")).hasSizeLessThanOrEqualTo(63).endsWith("-test");
	}

	private static String appVersion() {
		return (String) Repository.yaml(Repository.CHART.resolve("Chart.yaml")).get("appVersion");
	}

	/** The app.kubernetes.io/version label of every object and of the pods. */
	private static Set<Object> versionLabels(Chart.Rendered rendered) {
		Set<Object> versions = new HashSet<>();
		for (Map<String, Object> document : rendered.documents()) {
			Map<String, Object> labels = at(document, "metadata.labels");
			versions.add(labels.get("app.kubernetes.io/version"));
		}
		Map<String, Object> podLabels = at(rendered.deployment(), "spec.template.metadata.labels");
		versions.add(podLabels.get("app.kubernetes.io/version"));
		return versions;
	}

}
