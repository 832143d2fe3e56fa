package io.tcpresponder.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operator credentials of actuator write operations in the Helm chart: a Secret read through secretKeyRef only,
 * and the read and write switches rendered into application.yml.
 */
class HelmCredentialsTests {

	private static final String PASSWORD = "s3cr3t-Pa55word-for-the-chart";

	private static final String SECRET = Chart.FULLNAME + "-credentials";

	private static final List<String> CREDENTIAL_VARIABLES = List.of("SPRING_SECURITY_USER_NAME",
			"SPRING_SECURITY_USER_PASSWORD");

	@TempDir
	Path workDir;

	static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> valuesSets() {
		return HelmChartTests.valuesSets();
	}

	@Test
	void noCredentialsByDefault() {
		Chart.Rendered rendered = Chart.template();
		assertThat(rendered.ofKind("Secret")).isEmpty();
		assertThat(env(rendered)).doesNotContainKeys("SPRING_SECURITY_USER_NAME", "SPRING_SECURITY_USER_PASSWORD");
		assertThat((Map<String, Object>) at(rendered.deployment(), "spec.template.metadata.annotations"))
			.doesNotContainKey("checksum/credentials");
		assertThat((Object) at(Chart.defaultValues(), "credentials.password")).isEqualTo("");
		assertThat((Object) at(Chart.defaultValues(), "credentials.username")).isEqualTo("operator");
	}

	@Test
	void usernameAloneCreatesNoSecret() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "credentials:\n  username: someone\n");
		assertThat(rendered.ofKind("Secret")).isEmpty();
		assertThat(env(rendered)).doesNotContainKeys("SPRING_SECURITY_USER_NAME", "SPRING_SECURITY_USER_PASSWORD");
	}

	@Test
	void passwordCreatesASecretTheContainerReads() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "credentials:\n  password: " + PASSWORD + "\n");
		Map<String, Object> secret = rendered.get("Secret", SECRET);
		assertThat((Object) secret.get("type")).isEqualTo("Opaque");
		assertThat((Object) at(secret, "metadata.namespace")).isEqualTo(Chart.NAMESPACE);
		assertThat(secretData(secret)).containsExactlyInAnyOrderEntriesOf(Map.of("username", "operator", "password",
				PASSWORD));

		Map<String, Map<String, Object>> env = env(rendered);
		assertThat(env.get("SPRING_SECURITY_USER_NAME")).isEqualTo(secretKeyRef(SECRET, "username"));
		assertThat(env.get("SPRING_SECURITY_USER_PASSWORD")).isEqualTo(secretKeyRef(SECRET, "password"));
		assertThat(rendered.ofKind("Secret")).hasSize(1);
	}

	@Test
	void customUsernameAndKeysReachTheSecretAndTheEnvironment() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "credentials:\n  username: admin\n  password: "
				+ PASSWORD + "\n  usernameKey: user\n  passwordKey: pass\n");
		assertThat(secretData(rendered.get("Secret", SECRET)))
			.containsExactlyInAnyOrderEntriesOf(Map.of("user", "admin", "pass", PASSWORD));
		Map<String, Map<String, Object>> env = env(rendered);
		assertThat(env.get("SPRING_SECURITY_USER_NAME")).isEqualTo(secretKeyRef(SECRET, "user"));
		assertThat(env.get("SPRING_SECURITY_USER_PASSWORD")).isEqualTo(secretKeyRef(SECRET, "pass"));
	}

	@Test
	void existingSecretIsReadAndNoSecretIsCreated() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "credentials:\n  existingSecret: ops-login\n"
				+ "  usernameKey: login\n  passwordKey: secret\n  password: " + PASSWORD + "\n");
		assertThat(rendered.ofKind("Secret")).as("existingSecret wins over password").isEmpty();
		Map<String, Map<String, Object>> env = env(rendered);
		assertThat(env.get("SPRING_SECURITY_USER_NAME")).isEqualTo(secretKeyRef("ops-login", "login"));
		assertThat(env.get("SPRING_SECURITY_USER_PASSWORD")).isEqualTo(secretKeyRef("ops-login", "secret"));
		assertThat(rendered.text()).doesNotContain(PASSWORD);
		assertThat((Map<String, Object>) at(rendered.deployment(), "spec.template.metadata.annotations"))
			.doesNotContainKey("checksum/credentials");

		Chart.Rendered defaultKeys = Chart.templateWith(this.workDir, "credentials:\n  existingSecret: ops-login\n");
		assertThat(defaultKeys.ofKind("Secret")).isEmpty();
		assertThat(env(defaultKeys).get("SPRING_SECURITY_USER_PASSWORD"))
			.isEqualTo(secretKeyRef("ops-login", "password"));
	}

	@Test
	void passwordAppearsInNoConfigMapAndInNoPlainValue() {
		Chart.Rendered rendered = Chart.templateWith(this.workDir, "credentials:\n  password: " + PASSWORD + "\n"
				+ "dashboard:\n  enabled: true\n");
		assertThat(rendered.ofKind("ConfigMap")).hasSize(2)
			.allSatisfy((map) -> assertThat(Repository.dump(map)).doesNotContain(PASSWORD));
		for (Map<String, Object> document : rendered.documents()) {
			if (!"Secret".equals(document.get("kind"))) {
				assertThat(Repository.dump(document)).as("%s %s", document.get("kind"), at(document, "metadata.name"))
					.doesNotContain(PASSWORD);
			}
		}
		assertThat((List<Map<String, Object>>) at(rendered.container(), "env")).allSatisfy(
				(entry) -> assertThat(String.valueOf(entry.get("value"))).doesNotContain(PASSWORD));
		assertThat(rendered.text().split("\n---")).filteredOn((document) -> document.contains("kind: Secret"))
			.as("the password is only base64 data of the Secret")
			.allSatisfy((document) -> assertThat(document).doesNotContain(PASSWORD));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesSets")
	void credentialsReachTheContainerOnlyThroughSecretKeyRefs(String name, Path valuesFile) {
		Chart.Rendered rendered = (valuesFile != null) ? Chart.template(valuesFile) : Chart.template();
		Map<String, Object> values = HelmChartTests.effectiveValues(valuesFile);
		String existing = at(values, "credentials.existingSecret");
		String password = at(values, "credentials.password");
		Optional<String> secretName = !existing.isEmpty() ? Optional.of(existing)
				: !password.isEmpty() ? Optional.of(chartSecretName(rendered)) : Optional.empty();

		Map<String, Map<String, Object>> env = env(rendered);
		CREDENTIAL_VARIABLES.stream()
			.filter(env::containsKey)
			.forEach((variable) -> assertThat(env.get(variable)).as(variable).containsOnlyKeys("valueFrom"));
		if (secretName.isPresent()) {
			assertThat(env.get("SPRING_SECURITY_USER_NAME"))
				.isEqualTo(secretKeyRef(secretName.get(), at(values, "credentials.usernameKey")));
			assertThat(env.get("SPRING_SECURITY_USER_PASSWORD"))
				.isEqualTo(secretKeyRef(secretName.get(), at(values, "credentials.passwordKey")));
		}
		else {
			assertThat(env).doesNotContainKeys("SPRING_SECURITY_USER_NAME", "SPRING_SECURITY_USER_PASSWORD");
		}
		assertThat(rendered.ofKind("Secret")).as("a Secret only for a password without existingSecret")
			.hasSize(existing.isEmpty() && !password.isEmpty() ? 1 : 0);
		if (!password.isEmpty()) {
			assertThat(rendered.ofKind("ConfigMap"))
				.allSatisfy((map) -> assertThat(Repository.dump(map)).doesNotContain(password));
			env.forEach((variable, entry) -> assertThat(String.valueOf(entry.get("value"))).as(variable)
				.doesNotContain(password));
		}
		Map<String, Object> config = rendered.applicationConfig();
		assertThat((Map<String, Object>) at(config, "spring.security")).as("no credentials in application.yml")
			.isNull();
	}

	@Test
	void ciValuesCoverTheCredentialCases() {
		assertThat(Chart.template(Repository.CHART.resolve("ci/credentials-values.yaml")).find("Secret", SECRET))
			.isPresent();
		Chart.Rendered existing = Chart.template(Repository.CHART.resolve("ci/existing-secret-values.yaml"));
		assertThat(existing.ofKind("Secret")).isEmpty();
		assertThat(env(existing).get("SPRING_SECURITY_USER_PASSWORD"))
			.isEqualTo(secretKeyRef("responder-operator", "pass"));
	}

	@Test
	void passwordChangeRollsThePods() {
		String first = credentialsChecksum(Chart.templateWith(this.workDir, "credentials:\n  password: one\n"));
		assertThat(first).matches("[0-9a-f]{64}");
		assertThat(credentialsChecksum(Chart.templateWith(this.workDir, "credentials:\n  password: one\n")))
			.isEqualTo(first);
		assertThat(credentialsChecksum(Chart.templateWith(this.workDir, "credentials:\n  password: two\n")))
			.isNotEqualTo(first);
		assertThat(credentialsChecksum(
				Chart.templateWith(this.workDir, "credentials:\n  password: one\n  username: other\n")))
			.isNotEqualTo(first);
	}

	@Test
	void plainCredentialsInExtraEnvAreRefused() {
		assertThatThrownBy(() -> Chart.templateWith(this.workDir,
				"extraEnv:\n  - name: SPRING_SECURITY_USER_PASSWORD\n    value: " + PASSWORD + "\n"))
			.hasMessageContaining("extraEnv must not give SPRING_SECURITY_USER_PASSWORD as a plain value");
	}

	@Test
	void anonymousReadsReachTheApplicationConfig() {
		assertThat((Object) at(Chart.template().applicationConfig(), "responder.security.anonymous-reads"))
			.isEqualTo(true);
		Chart.Rendered rendered = Chart.templateWith(this.workDir,
				"responder:\n  security:\n    anonymousReads: false\n");
		assertThat((Object) at(rendered.applicationConfig(), "responder.security.anonymous-reads")).isEqualTo(false);
	}

	@Test
	void serviceMonitorSendsTheCredentialsOnlyWhenReadsNeedThem() {
		String monitor = "serviceMonitor:\n  enabled: true\ncredentials:\n  password: " + PASSWORD + "\n";
		Map<String, Object> open = Chart.templateWith(this.workDir, monitor).find("ServiceMonitor", Chart.FULLNAME)
			.orElseThrow();
		assertThat((Object) at(open, "spec.endpoints[0].path")).isEqualTo("/actuator/prometheus");
		assertThat((Object) at(open, "spec.endpoints[0].basicAuth")).as("reads are open").isNull();
		Map<String, Object> closed = Chart
			.templateWith(this.workDir, monitor + "responder:\n  security:\n    anonymousReads: false\n")
			.find("ServiceMonitor", Chart.FULLNAME)
			.orElseThrow();
		assertThat((Object) at(closed, "spec.endpoints[0].basicAuth.username.name")).isEqualTo(SECRET);
		assertThat((Object) at(closed, "spec.endpoints[0].basicAuth.username.key")).isEqualTo("username");
		assertThat((Object) at(closed, "spec.endpoints[0].basicAuth.password.name")).isEqualTo(SECRET);
		assertThat((Object) at(closed, "spec.endpoints[0].basicAuth.password.key")).isEqualTo("password");
	}

	@Test
	void writeOperationsOffMakesTheActuatorReadOnly() {
		assertThat((Object) at(Chart.template().applicationConfig(), "management")).as("no cap by default").isNull();
		Chart.Rendered rendered = Chart.templateWith(this.workDir,
				"actuator:\n  writeOperations: false\ncredentials:\n  password: " + PASSWORD + "\n");
		assertThat((Object) at(rendered.applicationConfig(), "management.endpoints.access.max-permitted"))
			.isEqualTo("read-only");
		assertThat(rendered.find("Secret", SECRET)).as("credentials still serve reads").isPresent();
		assertThat(Chart.templateWith(this.workDir, "actuator:\n  writeOperations: false\n").configChecksum())
			.isNotEqualTo(Chart.template().configChecksum());
	}

	@Test
	void notesTellHowToRestartOrWhyNot() {
		String notes = Repository.read(Repository.CHART.resolve("templates/NOTES.txt"));
		assertThat(notes).contains("curl -u").contains("-X POST").contains("Content-Type: application/json")
			.contains("/actuator/responder/restart").contains("refused (401)").contains("read-only");
	}

	/** The Secret the chart creates: the full name, cut to leave room for its suffix within 63 characters. */
	private static String chartSecretName(Chart.Rendered rendered) {
		String fullname = rendered.fullname();
		String base = fullname.substring(0, Math.min(fullname.length(), 63 - "-credentials".length()));
		String name = (base.endsWith("-") ? base.substring(0, base.length() - 1) : base) + "-credentials";
		assertThat(name).hasSizeLessThanOrEqualTo(63);
		return name;
	}

	private static String credentialsChecksum(Chart.Rendered rendered) {
		return at(rendered.deployment(), "spec.template.metadata.annotations.checksum/credentials");
	}

	/** The container's environment by variable name: each entry without its name. */
	private static Map<String, Map<String, Object>> env(Chart.Rendered rendered) {
		Map<String, Map<String, Object>> env = new LinkedHashMap<>();
		for (Map<String, Object> entry : (List<Map<String, Object>>) at(rendered.container(), "env")) {
			Map<String, Object> rest = new LinkedHashMap<>(entry);
			String name = (String) rest.remove("name");
			assertThat(env).as("%s set once", name).doesNotContainKey(name);
			env.put(name, rest);
		}
		assertThat(env.keySet()).as("credential variables")
			.filteredOn((name) -> name.startsWith("SPRING_SECURITY_"))
			.isSubsetOf(CREDENTIAL_VARIABLES);
		return env;
	}

	private static Map<String, Object> secretKeyRef(String name, String key) {
		return Map.of("valueFrom", Map.of("secretKeyRef", Map.of("name", name, "key", key)));
	}

	private static Map<String, String> secretData(Map<String, Object> secret) {
		Map<String, String> decoded = new LinkedHashMap<>();
		Map<String, Object> data = at(secret, "data");
		assertThat(data).as("Secret data").isNotNull();
		data.forEach((key, value) -> decoded.put(key,
				new String(Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8)));
		assertThat((Object) secret.get("stringData")).isNull();
		return decoded;
	}

}
