package io.tcpresponder.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators reach for: autoscaling, spreading the pods, update strategy, priority, extra volumes, variables and
 * init containers, the TCP Service's options, and restarting the listener of each pod.
 */
class ChartOperationsTests {

	private static final Path ALL_OPTIONAL = Repository.CHART.resolve("ci/all-optional-values.yaml");

	@TempDir
	Path workDir;

	@Test
	void autoscalerScalesTheDeploymentOnCpu() {
		Chart.Rendered rendered = Chart.template(ALL_OPTIONAL);
		Map<String, Object> autoscaler = rendered.get("HorizontalPodAutoscaler", Chart.FULLNAME);
		assertThat((Object) autoscaler.get("apiVersion")).isEqualTo("autoscaling/v2");
		assertThat((Map<String, Object>) at(autoscaler, "spec.scaleTargetRef"))
			.containsEntry("apiVersion", "apps/v1")
			.containsEntry("kind", "Deployment")
			.containsEntry("name", Chart.FULLNAME);
		assertThat((Object) at(autoscaler, "spec.minReplicas")).isEqualTo(2);
		assertThat((Object) at(autoscaler, "spec.maxReplicas")).isEqualTo(6);
		assertThat((Object) at(autoscaler, "spec.metrics[0].resource.name")).isEqualTo("cpu");
		assertThat((Object) at(autoscaler, "spec.metrics[0].resource.target.averageUtilization")).isEqualTo(60);
		assertThat((Map<String, Object>) at(rendered.deployment(), "spec")).as("the autoscaler owns replicas")
			.doesNotContainKey("replicas");
	}

	@Test
	void severalPodsArePreferablySpreadOverNodes() {
		Map<String, Object> one = at(Chart.template().deployment(), "spec.template.spec");
		assertThat(one).as("one pod: no anti-affinity").doesNotContainKey("affinity");

		Chart.Rendered two = Chart.templateWith(this.workDir, "replicaCount: 2\n");
		Map<String, Object> term = at(two.deployment(),
				"spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]");
		assertThat((Object) at(term, "podAffinityTerm.topologyKey")).isEqualTo("kubernetes.io/hostname");
		assertThat((Map<String, Object>) at(term, "podAffinityTerm.labelSelector.matchLabels"))
			.isEqualTo(at(two.deployment(), "spec.selector.matchLabels"));

		Map<String, Object> hard = at(Chart.template(ALL_OPTIONAL).deployment(), "spec.template.spec.affinity");
		assertThat((List<Object>) at(hard, "podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"))
			.hasSize(1);

		Map<String, Object> own = at(Chart.templateWith(this.workDir,
				"replicaCount: 3\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
						+ "      nodeSelectorTerms:\n        - matchExpressions:\n"
						+ "            - {key: kubernetes.io/arch, operator: In, values: [arm64]}\n")
			.deployment(), "spec.template.spec.affinity");
		assertThat(own).as("affinity given: no preset").containsOnlyKeys("nodeAffinity");
		assertThat((Map<String, Object>) at(Chart.templateWith(this.workDir,
				"replicaCount: 3\npodAntiAffinityPreset: \"\"\n").deployment(), "spec.template.spec"))
			.doesNotContainKey("affinity");
	}

	@Test
	void updatesStartANewPodBeforeStoppingAnOld() {
		assertThat((Map<String, Object>) at(Chart.template().deployment(), "spec.strategy"))
			.isEqualTo(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxSurge", 1, "maxUnavailable", 0)));
		assertThat((Map<String, Object>) at(Chart.templateWith(this.workDir, "updateStrategy:\n  type: Recreate\n")
			.deployment(), "spec.strategy")).as("Recreate takes no rollingUpdate").isEqualTo(Map.of("type", "Recreate"));
	}

	@Test
	void podTakesThePlatformsExtras() {
		Chart.Rendered rendered = Chart.template(ALL_OPTIONAL);
		Map<String, Object> pod = at(rendered.deployment(), "spec.template.spec");
		assertThat((Object) pod.get("priorityClassName")).isEqualTo("high-priority");
		assertThat((List<Map<String, Object>>) pod.get("initContainers")).extracting((container) -> container.get("name"))
			.containsExactly("wait-for-config");
		assertThat((List<Map<String, Object>>) pod.get("volumes")).extracting((volume) -> volume.get("name"))
			.containsExactly("config", "tmp", "certificates");
		assertThat((List<Map<String, Object>>) at(rendered.container(), "volumeMounts"))
			.extracting((mount) -> mount.get("mountPath"))
			.containsExactly("/config", "/tmp", "/certificates");
		assertThat((List<Map<String, Object>>) at(rendered.container(), "envFrom"))
			.containsExactly(Map.of("configMapRef", Map.of("name", "responder-extra"), "prefix", "EXTRA_"));
		assertThat((Map<String, Object>) at(rendered.deployment(), "spec.template.metadata.labels"))
			.containsEntry("team", "platform");
	}

	@Test
	void podLabelsCannotTakeTheSelectorsLabels() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir,
				"podLabels:\n  app.kubernetes.io/name: other\n  team: platform\n");
		assertThat((Map<String, Object>) at(rendered.deployment(), "spec.template.metadata.labels"))
			.containsEntry("app.kubernetes.io/name", "tcp-responder")
			.containsEntry("team", "platform");
	}

	@Test
	void tcpServiceTakesNodePortsLoadBalancerClassAndIpFamilies() {
		Map<String, Object> service = Chart.template(ALL_OPTIONAL).service();
		assertThat((Object) at(service, "spec.type")).isEqualTo("LoadBalancer");
		assertThat((Object) at(service, "spec.loadBalancerClass")).isEqualTo("service.k8s.aws/nlb");
		assertThat((Object) at(service, "spec.ipFamilyPolicy")).isEqualTo("PreferDualStack");
		assertThat((List<Object>) at(service, "spec.ipFamilies")).containsExactly("IPv4", "IPv6");
		assertThat((List<Map<String, Object>>) at(service, "spec.ports")).extracting((port) -> port.get("nodePort"))
			.containsExactly(30900, 30980);

		Map<String, Object> clusterIp = Chart.templateWith(this.workDir,
				"service:\n  nodePorts:\n    tcp: 30900\n  loadBalancerClass: example.com/lb\n").service();
		assertThat((List<Map<String, Object>>) at(clusterIp, "spec.ports"))
			.as("a ClusterIP Service takes no nodePort")
			.allSatisfy((port) -> assertThat(port).doesNotContainKey("nodePort"));
		assertThat((Map<String, Object>) at(clusterIp, "spec")).doesNotContainKey("loadBalancerClass");
	}

	/**
	 * Through the Service a restart reaches one pod at random. The headless Service gives every pod's address,
	 * ready or not (a pod whose listener failed is not ready), on the actuator's port.
	 */
	@Test
	void headlessServiceReachesEveryPodReadyOrNot() {
		Chart.Rendered rendered = Chart.template(ALL_OPTIONAL);
		Map<String, Object> headless = rendered.get("Service", Chart.FULLNAME + "-headless");
		assertThat((Object) at(headless, "spec.clusterIP")).isEqualTo("None");
		assertThat((Object) at(headless, "spec.publishNotReadyAddresses")).isEqualTo(true);
		assertThat((Map<String, Object>) at(headless, "spec.selector"))
			.isEqualTo(at(rendered.deployment(), "spec.selector.matchLabels"));
		assertThat((List<Map<String, Object>>) at(headless, "spec.ports")).singleElement()
			.satisfies((port) -> assertThat(port).containsEntry("name", "http")
				.containsEntry("port", 8080)
				.containsEntry("targetPort", "http"));
	}

	/**
	 * NOTES give the loop over the release's pods, with a label selector that picks exactly the pods of the
	 * Deployment, and a port-forward to each pod's actuator port.
	 */
	@Test
	void notesRestartEveryPodOneByOne() {
		String notes = Chart.notes(ALL_OPTIONAL);
		Matcher loop = Pattern.compile("for pod in \\$\\(kubectl get pods --namespace (\\S+) -l (\\S+) -o name\\)")
			.matcher(notes);
		assertThat(loop.find()).as("NOTES:%n%s", notes).isTrue();
		assertThat(loop.group(1)).isEqualTo(Chart.NAMESPACE);
		Map<String, Object> podLabels = at(Chart.template(ALL_OPTIONAL).deployment(), "spec.template.metadata.labels");
		Map<String, Object> selectorLabels = at(Chart.template(ALL_OPTIONAL).deployment(), "spec.selector.matchLabels");
		for (String requirement : loop.group(2).split(",")) {
			String[] keyValue = requirement.split("=");
			assertThat(podLabels).containsEntry(keyValue[0], keyValue[1]);
		}
		assertThat(loop.group(2).split(",")).hasSize(selectorLabels.size());
		assertThat(notes).contains("port-forward \"$pod\" 18080:8080")
			.contains("http://127.0.0.1:18080/actuator/responder/restart")
			.contains(Chart.FULLNAME + "-headless." + Chart.NAMESPACE + ".svc");
	}

	/**
	 * NOTES say how to open the lesson page on one pod: a port-forward to the Deployment's actuator port, the
	 * container's port of that name.
	 */
	@Test
	void notesOpenTheLessonPageOnOnePod() {
		String notes = Chart.notes(ALL_OPTIONAL);
		Map<String, Object> deployment = Chart.template(ALL_OPTIONAL).deployment();
		List<Map<String, Object>> ports = at(deployment, "spec.template.spec.containers[0].ports");
		Object httpPort = ports.stream().filter((port) -> "http".equals(port.get("name"))).findFirst().orElseThrow()
			.get("containerPort");
		assertThat(notes).as("NOTES:%n%s", notes)
			.contains("port-forward deployment/" + at(deployment, "metadata.name") + " 18080:" + httpPort)
			.contains("open http://127.0.0.1:18080/");
	}

}
