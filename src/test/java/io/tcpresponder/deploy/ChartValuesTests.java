package io.tcpresponder.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What values the chart takes: values.schema.json types and describes every value, and the chart refuses, with a
 * message naming the values, what the schema cannot express.
 */
class ChartValuesTests {

	@TempDir
	Path workDir;

	static Stream<Arguments> badValues() {
		return Stream.of(Arguments.of("responder:\n  port: 0\n", "/responder/port", "minimum"),
				Arguments.of("responder:\n  port: 70000\n", "/responder/port", "maximum"),
				Arguments.of("http:\n  port: 0\n", "/http/port", "minimum"),
				Arguments.of("service:\n  tcpPort: 65536\n", "/service/tcpPort", "maximum"),
				Arguments.of("replicaCount: -1\n", "/replicaCount", "minimum"),
				Arguments.of("responder:\n  closeMode: bogus\n", "/responder/closeMode", "server-first"),
				Arguments.of("responder:\n  shutdownTimeout: 10\n", "/responder/shutdownTimeout", "string"),
				Arguments.of("credentials:\n  password: 1234\n", "/credentials/password", "got number, want string"),
				Arguments.of("credentials:\n  password: true\n", "/credentials/password", "got boolean, want string"),
				Arguments.of("credentials:\n  existingSecret: Bad_Name\n", "/credentials/existingSecret",
						"does not match pattern"),
				Arguments.of("credentials:\n  passwrd: x\n", "passwrd", "not allowed"),
				Arguments.of("actuator:\n  writeOperations: \"no\"\n", "/actuator/writeOperations",
						"got string, want boolean"),
				Arguments.of("responder:\n  security:\n    anonymousReads: 0\n", "/responder/security/anonymousReads",
						"want boolean"),
				Arguments.of("unknownKey: 1\n", "unknownKey", "not allowed"),
				// values the API server or the Prometheus Operator would refuse
				Arguments.of("tmpSizeLimit: \"64MB\"\n", "/tmpSizeLimit", "does not match pattern"),
				Arguments.of("podDisruptionBudget:\n  maxUnavailable: half\n", "/podDisruptionBudget/maxUnavailable",
						"does not match pattern"),
				Arguments.of("resources:\n  limits:\n    memory: lots\n", "/resources/limits/memory",
						"does not match pattern"),
				Arguments.of("serviceMonitor:\n  interval: 15 seconds\n", "/serviceMonitor/interval",
						"does not match pattern"),
				Arguments.of("prometheusRule:\n  alerts:\n    notListening:\n      for: 2 minutes\n",
						"/prometheusRule/alerts/notListening/for", "does not match pattern"),
				Arguments.of("prometheusRule:\n  alerts:\n    acceptQueueNearLimit:\n      threshold: 1.5\n",
						"/prometheusRule/alerts/acceptQueueNearLimit/threshold", "maximum"),
				Arguments.of("prometheusRule:\n  additionalRules:\n    - alert: X\n", "/prometheusRule/additionalRules/0",
						"missing property 'expr'"),
				Arguments.of("image:\n  digest: latest\n", "/image/digest", "does not match pattern"),
				Arguments.of("image:\n  tag: \"0.1.0@sha256:abc\"\n", "/image/tag", "does not match pattern"),
				Arguments.of("nameOverride: My_Responder\n", "/nameOverride", "does not match pattern"),
				Arguments.of("podLabels:\n  team: \"" + "x".repeat(64) + "\"\n", "/podLabels/team", "maxLength"),
				Arguments.of("podLabels:\n  team: 7\n", "/podLabels/team", "got number, want string"),
				Arguments.of("service:\n  ipFamilies: [IPv5]\n", "/service/ipFamilies/0", "IPv4"),
				Arguments.of("updateStrategy:\n  type: BlueGreen\n", "/updateStrategy/type", "RollingUpdate"),
				Arguments.of("updateStrategy:\n  rollingUpdate:\n    maxSurge: lots\n",
						"/updateStrategy/rollingUpdate/maxSurge", "does not match pattern"),
				Arguments.of("securityContext:\n  readOnlyRootFileSystem: true\n", "readOnlyRootFileSystem",
						"not allowed"),
				Arguments.of("podSecurityContext:\n  runAsUser: \"65532\"\n", "/podSecurityContext/runAsUser",
						"got string, want integer"),
				Arguments.of("extraVolumeMounts:\n  - name: data\n", "/extraVolumeMounts/0", "missing property 'mountPath'"),
				Arguments.of("serviceMonitor:\n  relabelings:\n    - action: rename\n",
						"/serviceMonitor/relabelings/0/action", "replace"),
				Arguments.of("service:\n  nodePorts:\n    tcp: \"30900\"\n", "/service/nodePorts/tcp", "got string, want null or integer"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badValues")
	void schemaRejectsBadValues(String valuesYaml, String field, String reason) {
		assertThatThrownBy(() -> Chart.templateWith(this.workDir, valuesYaml))
			.hasMessageContaining("values don't meet the specifications of the schema")
			.hasMessageContaining(field)
			.hasMessageContaining(reason);
	}

	/** Values the schema accepts one by one, but not together: the chart says which and why. */
	static Stream<Arguments> conflictingValues() {
		return Stream.of(
				Arguments.of("service:\n  tcpPort: 8080\n",
						"service.tcpPort and service.httpPort must differ: both are 8080"),
				Arguments.of("responder:\n  port: 8080\n", "responder.port and http.port must differ: both are 8080"),
				Arguments.of("service:\n  type: NodePort\n  nodePorts:\n    tcp: 30900\n    http: 30900\n",
						"service.nodePorts.tcp and service.nodePorts.http must differ: both are 30900"),
				Arguments.of("service:\n  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv4, IPv6]\n",
						"service.ipFamilies may name one family only when service.ipFamilyPolicy is SingleStack"),
				Arguments.of("autoscaling:\n  enabled: true\n  minReplicas: 4\n  maxReplicas: 2\n",
						"autoscaling.minReplicas (4) must not exceed autoscaling.maxReplicas (2)"),
				Arguments.of("autoscaling:\n  enabled: true\nresources:\n  requests:\n    cpu: null\n",
						"autoscaling.enabled needs resources.requests.cpu"),
				Arguments.of("extraVolumes:\n  - name: tmp\n    emptyDir: {}\n",
						"extraVolumes: the volume name \"tmp\" is the chart's own"),
				Arguments.of("extraVolumeMounts:\n  - name: data\n    mountPath: /config/\n",
						"extraVolumeMounts: /config/ is the chart's own mount"),
				Arguments.of("serviceMonitor:\n  enabled: true\nresponder:\n  security:\n    anonymousReads: false\n",
						"serviceMonitor.enabled with responder.security.anonymousReads false needs the operator credentials"),
				Arguments.of("serviceMonitor:\n  enabled: true\n  namespace: monitoring\nresponder:\n  security:\n"
						+ "    anonymousReads: false\ncredentials:\n  existingSecret: operator\n",
						"serviceMonitor.namespace (monitoring) must be the release namespace (responders)"));
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("conflictingValues")
	void refusesValuesThatConflict(String valuesYaml, String message) {
		assertThatThrownBy(() -> Chart.templateWith(this.workDir, valuesYaml)).hasMessageContaining(message);
	}

	@Test
	void schemaAllowsGlobal() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "global:\n  imageRegistry: example\n");
		assertThat(rendered.find("Deployment", Chart.FULLNAME)).isPresent();
	}

	@Test
	void everyKeyOfValuesYamlHasAComment() {
		assertThat(ValuesFile.keys()).allSatisfy((key) -> assertThat(key.description())
			.as("values.yaml line %d (%s) has a comment", key.line(), key.path())
			.isNotBlank());
	}

	/** The schema describes every value with the words of values.yaml (what an editor shows on hover). */
	@Test
	void schemaDescribesEveryValueAsValuesYamlDoes() {
		for (ValuesFile.Key key : ValuesFile.keys()) {
			Map<String, Object> schema = ValuesSchema.of(key.path());
			assertThat(schema).as("values.schema.json has %s", key.path()).isNotNull();
			assertThat(schema.get("description")).as("description of %s in values.schema.json", key.path())
				.isEqualTo(key.description());
		}
	}

	/** Every property the schema knows, down to the parts of Kubernetes objects, has a description. */
	@Test
	void everyPropertyOfTheSchemaHasADescription() {
		List<String> undescribed = new ArrayList<>();
		describe("", ValuesSchema.root(), undescribed);
		assertThat(undescribed).isEmpty();
	}

	/** Every value of values.yaml is one the schema declares, so additionalProperties: false refuses typos. */
	@Test
	void schemaDeclaresEveryValueAndNoOther() {
		List<String> declared = new ArrayList<>();
		ValuesSchema.properties(ValuesSchema.root()).keySet().forEach(declared::add);
		assertThat(declared).containsExactlyInAnyOrderElementsOf(Stream
			.concat(Stream.of("global"), Chart.defaultValues().keySet().stream())
			.toList());
		assertThat(ValuesSchema.root()).containsEntry("additionalProperties", false);
	}

	@SuppressWarnings("unchecked")
	private static void describe(String path, Map<String, Object> node, List<String> undescribed) {
		Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) node.get("properties");
		if (properties != null) {
			properties.forEach((name, child) -> {
				if (!(child.get("description") instanceof String text && !text.isBlank())
						&& !(ValuesSchema.resolve(child).get("description") instanceof String)) {
					undescribed.add(path + name);
				}
				describe(path + name + ".", child, undescribed);
			});
		}
		if (node.get("items") instanceof Map<?, ?> items) {
			describe(path + "[].", (Map<String, Object>) items, undescribed);
		}
		if (node.get("definitions") instanceof Map<?, ?> definitions) {
			((Map<String, Map<String, Object>>) definitions).forEach((name, definition) -> {
				if (!(definition.get("description") instanceof String)) {
					undescribed.add("#/definitions/" + name);
				}
				describe("#/definitions/" + name + ".", definition, undescribed);
			});
		}
	}

}
