package io.tcpresponder.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static io.tcpresponder.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jib configuration in pom.xml, checked as configuration (building the image needs a registry).
 */
class JibConfigurationTests {

	private static Element project;

	private static Element jib;

	@BeforeAll
	static void readPom() throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		Document pom = factory.newDocumentBuilder().parse(Repository.ROOT.resolve("pom.xml").toFile());
		project = pom.getDocumentElement();
		for (Element plugin : children(child(child(project, "build"), "plugins"), "plugin")) {
			if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
				assertThat(text(plugin, "groupId")).isEqualTo("com.google.cloud.tools");
				jib = plugin;
			}
		}
		assertThat(jib).as("jib-maven-plugin in pom.xml").isNotNull();
	}

	@Test
	void pluginVersionIsPinned() {
		assertThat(text(jib, "version")).isEqualTo("${jib-maven-plugin.version}");
		assertThat(property("jib-maven-plugin.version")).isEqualTo("3.5.2");
	}

	@Test
	void baseImageIsAPinnedTemurinJdkOfTheProjectsJavaVersion() {
		// image.from is image.base unless deploy/local-image.sh points it at a local copy of the same build
		assertThat(text(child(configuration(), "from"), "image")).isEqualTo("${image.from}");
		assertThat(property("image.from")).isEqualTo("${image.base}");
		assertThat(property("java.version")).isEqualTo("25");
		// A JDK, not a JRE: the AOT cache loads only with the runtime image (lib/modules) of the JDK that trained it
		assertThat(property("image.base"))
			.matches("eclipse-temurin:" + property("java.version") + "\\.0\\.\\d+(\\.\\d+)?_\\d+-jdk-[a-z]+");
	}

	@Test
	void imageCarriesTheAotCacheItsJvmFlagsName() {
		List<String> flags = texts(child(container(), "jvmFlags"), "jvmFlag");
		assertThat(flags).contains("-XX:AOTCache=/app/aot/tcp-responder.aot", "-Dspring.aot.enabled=true");
		Element cache = child(child(child(configuration(), "extraDirectories"), "paths"), "path");
		assertThat(text(cache, "from")).isEqualTo("${project.build.directory}/aot/root/app/aot");
		assertThat(text(cache, "into")).isEqualTo("/app/aot");
		// jars only, in a fixed order: an AOT cache records the class path and holds no classes from directories
		assertThat(text(configuration(), "containerizingMode")).isEqualTo("packaged");
	}

	@Test
	void imagesAreBuiltOnlyWithTheProfileThatTrainsTheirCache() {
		assertThat(property("jib.skip")).isEqualTo("true");
		Element aot = children(child(project, "profiles"), "profile").stream()
			.filter((profile) -> "aot".equals(text(profile, "id")))
			.findFirst()
			.orElseThrow();
		assertThat(text(child(aot, "properties"), "jib.skip")).isEqualTo("false");
	}

	/** docs/deploy.md says how to pin the base image by digest and how to move to a newer one. */
	@Test
	void pinningAndUpdatingTheBaseImageAreWrittenDown() {
		String docs = Repository.read(Repository.ROOT.resolve("docs/deploy.md"));
		String base = property("image.base");
		assertThat(docs).contains("`" + base + "`")
			.contains("To update it")
			.contains("imagetools inspect " + base)
			.contains(base + "@sha256:...");
	}

	@Test
	void imagesForAmd64AndArm64() {
		List<Element> platforms = children(child(child(configuration(), "from"), "platforms"), "platform");
		assertThat(platforms).extracting((platform) -> text(platform, "os") + "/" + text(platform, "architecture"))
			.containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
	}

	/**
	 * The aot profile's tar of the image tree holds one image: its {@code from} replaces the plugin's, platforms and
	 * all, since Maven merges an execution's configuration into the plugin's and Jib refuses a tar of two platforms.
	 */
	@Test
	void aotImageTreeIsBuiltForOnePlatform() {
		Element aot = children(child(project, "profiles"), "profile").stream()
			.filter((profile) -> "aot".equals(text(profile, "id")))
			.findFirst()
			.orElseThrow();
		Element tree = children(child(child(aot, "build"), "plugins"), "plugin").stream()
			.filter((plugin) -> "jib-maven-plugin".equals(text(plugin, "artifactId")))
			.flatMap((plugin) -> children(child(plugin, "executions"), "execution").stream())
			.filter((execution) -> "aot-image-tree".equals(text(execution, "id")))
			.findFirst()
			.orElseThrow();
		Element from = child(child(tree, "configuration"), "from");
		assertThat(texts(child(tree, "goals"), "goal")).containsExactly("buildTar");
		assertThat(from.getAttribute("combine.self")).isEqualTo("override");
		assertThat(from.getElementsByTagName("platforms").getLength()).isZero();
	}

	/** The OCI labels a registry and a scanner read: where the source is, which commit, under which licence. */
	@Test
	void ociLabelsNameSourceRevisionAndLicenses() {
		Element labels = child(container(), "labels");
		assertThat(text(labels, "org.opencontainers.image.source")).matches("https://[^$\\s]+");
		assertThat(text(labels, "org.opencontainers.image.licenses")).isEqualTo("Apache-2.0");
		assertThat(text(labels, "org.opencontainers.image.version")).isEqualTo("${project.version}");
		assertThat(text(labels, "org.opencontainers.image.revision")).isEqualTo("${git.commit.id}");
		Element gitCommitId = plugin("git-commit-id-maven-plugin");
		assertThat(text(gitCommitId, "groupId")).isEqualTo("io.github.git-commit-id");
		assertThat(text(child(gitCommitId, "configuration"), "generateGitPropertiesFile")).isEqualTo("false");
		assertThat(texts(child(child(gitCommitId, "configuration"), "includeOnlyProperties"), "includeOnlyProperty"))
			.containsExactly("^git.commit.id$");
		assertThat(text(child(gitCommitId, "configuration"), "failOnNoGitDirectory")).as("builds without .git")
			.isEqualTo("false");
		assertThat(property("git.commit.id")).as("the revision of a build without .git").isEqualTo("unknown");
	}

	/** No SNAPSHOT: the chart's defaults pull the tag the documented build gives the image. */
	@Test
	void chartDefaultsPullTheImageTheBuildTags() {
		String version = text(project, "version");
		assertThat(version).doesNotContain("SNAPSHOT").matches("\\d+\\.\\d+\\.\\d+");
		assertThat((Object) at(Chart.template().container(), "image")).isEqualTo(property("image") + ":" + version);
		assertThat(texts(child(child(configuration(), "to"), "tags"), "tag")).contains("${project.version}");
		assertThat(text(child(configuration(), "to"), "image")).isEqualTo("${image}");
	}

	@Test
	void imageNameIsOverridable() {
		assertThat(text(child(configuration(), "to"), "image")).isEqualTo("${image}");
		assertThat(property("image")).isEqualTo("tcp-responder");
	}

	@Test
	void imageIsTaggedWithTheChartsAppVersion() {
		assertThat(texts(child(child(configuration(), "to"), "tags"), "tag")).contains("${project.version}");
		String version = text(project, "version");
		Map<String, Object> chart = Repository.yaml(Repository.CHART.resolve("Chart.yaml"));
		assertThat(chart.get("appVersion")).as("Chart.yaml appVersion follows the project version").isEqualTo(version);
		assertThat((Object) at(Chart.defaultValues(), "image.repository")).isEqualTo(property("image"));
	}

	@Test
	void runsAsTheChartsNonRootUser() {
		String user = text(container(), "user");
		assertThat(user).matches("[1-9][0-9]*:[1-9][0-9]*");
		Map<String, Object> values = Chart.defaultValues();
		String uid = user.split(":")[0];
		String gid = user.split(":")[1];
		assertThat(String.valueOf((Object) at(values, "podSecurityContext.runAsUser"))).isEqualTo(uid);
		assertThat(String.valueOf((Object) at(values, "podSecurityContext.runAsGroup"))).isEqualTo(gid);
	}

	@Test
	void exposesTcpAndHttpPorts() {
		List<String> ports = texts(child(container(), "ports"), "port");
		assertThat(ports).containsExactlyInAnyOrder("9000", "8080");
	}

	@Test
	void jvmFlagsFitContainers() {
		List<String> flags = texts(child(container(), "jvmFlags"), "jvmFlag");
		assertThat(flags).anyMatch((flag) -> flag.matches("-XX:MaxRAMPercentage=\\d+(\\.\\d+)?"))
			.contains("-XX:+ExitOnOutOfMemoryError");
		assertThat(flags).noneMatch((flag) -> flag.startsWith("-Xmx"));
	}

	@Test
	void nativeAccessIsEnabledSoThatTheNativeTransportRunsWithoutAWarning() {
		// Jib starts the main class from a classpath, so the jar manifest's Enable-Native-Access does not apply.
		assertThat(texts(child(container(), "jvmFlags"), "jvmFlag")).contains("--enable-native-access=ALL-UNNAMED");
	}

	@Test
	void mainClassIsTheApplication() throws ReflectiveOperationException {
		String mainClass = text(container(), "mainClass");
		assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();
	}

	@Test
	void workingDirectoryKeepsConfigLookupExplicit() {
		assertThat(text(container(), "workingDirectory")).isEqualTo("/app");
	}

	private static Element plugin(String artifactId) {
		return children(child(child(project, "build"), "plugins"), "plugin").stream()
			.filter((plugin) -> artifactId.equals(text(plugin, "artifactId")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(artifactId + " in pom.xml"));
	}

	private static Element configuration() {
		return child(jib, "configuration");
	}

	private static Element container() {
		return child(configuration(), "container");
	}

	private static String property(String name) {
		return text(child(project, "properties"), name);
	}

	private static Element child(Element parent, String name) {
		List<Element> found = children(parent, name);
		assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
		return found.get(0);
	}

	private static List<Element> children(Element parent, String name) {
		List<Element> found = new ArrayList<>();
		NodeList nodes = parent.getChildNodes();
		for (int i = 0; i < nodes.getLength(); i++) {
			Node node = nodes.item(i);
			if (node instanceof Element element && name.equals(element.getTagName())) {
				found.add(element);
			}
		}
		return found;
	}

	private static String text(Element parent, String name) {
		return child(parent, name).getTextContent().strip();
	}

	private static List<String> texts(Element parent, String name) {
		return children(parent, name).stream().map((element) -> element.getTextContent().strip()).toList();
	}

}
