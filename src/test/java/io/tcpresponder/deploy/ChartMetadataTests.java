package io.tcpresponder.deploy;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chart.yaml: where the chart comes from and which Kubernetes it needs.
 */
class ChartMetadataTests {

	/** The Kubernetes minor version from which each API the chart renders is served (GA). */
	private static final Map<String, Integer> SERVED_SINCE = Map.of("v1", 0, "apps/v1", 9,
			"networking.k8s.io/v1", 7, "policy/v1", 21, "autoscaling/v2", 23, "monitoring.coreos.com/v1", 0);

	/** Fields the chart renders that reached GA later than their API: Service.spec.loadBalancerClass (1.24). */
	private static final int NEWEST_FIELD = 24;

	private final Map<String, Object> chart = Repository.yaml(Repository.CHART.resolve("Chart.yaml"));

	@Test
	void namesItsHomeAndSources() {
		assertThat((String) this.chart.get("home")).startsWith("https://");
		assertThat((List<String>) this.chart.get("sources")).isNotEmpty()
			.allSatisfy((source) -> assertThat(source).startsWith("https://"));
		assertThat((String) this.chart.get("description")).isNotBlank();
	}

	/**
	 * kubeVersion admits no Kubernetes that lacks an API or field the chart renders with every optional object on,
	 * nor one without Pod Security admission (1.25), which the handover recipe relies on.
	 */
	@Test
	void kubeVersionCoversEveryApiTheChartRenders() {
		Matcher minimum = Pattern.compile(">=1\\.(\\d+)\\.0-0").matcher((String) this.chart.get("kubeVersion"));
		assertThat(minimum.matches()).as("kubeVersion %s is >=1.N.0-0", this.chart.get("kubeVersion")).isTrue();
		int minor = Integer.parseInt(minimum.group(1));
		Chart.Rendered rendered = Chart.template(Repository.CHART.resolve("ci/all-optional-values.yaml"));
		for (Map<String, Object> document : rendered.documents()) {
			String apiVersion = (String) document.get("apiVersion");
			assertThat(SERVED_SINCE).as("known API %s", apiVersion).containsKey(apiVersion);
			assertThat(minor).as("%s %s", document.get("kind"), apiVersion).isGreaterThanOrEqualTo(SERVED_SINCE.get(apiVersion));
		}
		assertThat(minor).isGreaterThanOrEqualTo(NEWEST_FIELD).isGreaterThanOrEqualTo(25);
	}

	/** The chart tests render as the lowest Kubernetes kubeVersion admits: the oldest cluster the chart supports. */
	@Test
	void testsRenderAsTheLowestKubernetesTheChartAdmits() {
		Matcher minimum = Pattern.compile(">=(1\\.\\d+\\.0)-0").matcher((String) this.chart.get("kubeVersion"));
		assertThat(minimum.matches()).as("kubeVersion %s is >=1.N.0-0", this.chart.get("kubeVersion")).isTrue();
		assertThat(Chart.KUBE_VERSION).isEqualTo(minimum.group(1));
	}

}
