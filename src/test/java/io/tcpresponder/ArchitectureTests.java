package io.tcpresponder;

import java.util.Arrays;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import io.tcpresponder.transport.linux.NativeTransport;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of the service, as rules over its compiled classes, so that they hold after the people who drew them:
 * the transport contract at the bottom (the socket table the kernel view reads is part of it), the Linux transport
 * beside the portable one and alone in using FFM, the responder feature on top, and the kernel view, metrics, security
 * and the lesson page beside it.
 */
@AnalyzeClasses(packages = "io.tcpresponder", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final String CONTRACT = "io.tcpresponder.transport";

	private static final String LINUX = "io.tcpresponder.transport.linux..";

	@ArchTest
	static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
		.layer("Application").definedBy("io.tcpresponder")
		.layer("Responder").definedBy("io.tcpresponder.responder..")
		.layer("Kernel view").definedBy("io.tcpresponder.kernel..")
		.layer("Metrics").definedBy("io.tcpresponder.metrics..")
		.layer("Security").definedBy("io.tcpresponder.security..")
		.layer("Lesson page").definedBy("io.tcpresponder.page..")
		.layer("Transport contract").definedBy(CONTRACT)
		.layer("Linux transport").definedBy(LINUX)
		.whereLayer("Responder").mayOnlyBeAccessedByLayers("Application")
		.whereLayer("Kernel view").mayOnlyBeAccessedByLayers("Responder")
		.whereLayer("Metrics").mayOnlyBeAccessedByLayers("Responder")
		.whereLayer("Security").mayNotBeAccessedByAnyLayer()
		.whereLayer("Lesson page").mayOnlyBeAccessedByLayers("Responder")
		.whereLayer("Linux transport").mayOnlyBeAccessedByLayers("Responder")
		.whereLayer("Transport contract").mayOnlyBeAccessedByLayers("Responder", "Kernel view", "Linux transport");

	/**
	 * The contract knows no layer above it, nor the transport that implements it natively, nor the frameworks that
	 * bind, validate and serialize above it: Spring and Jackson.
	 */
	@ArchTest
	static final ArchRule theContractStandsAlone = noClasses().that()
		.resideInAPackage(CONTRACT)
		.should()
		.dependOnClassesThat(resideInAPackage("io.tcpresponder..").and(not(resideInAPackage(CONTRACT))))
		.orShould()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "tools.jackson..", "com.fasterxml.jackson..");

	/**
	 * Inside the feature, each room stands on the ones below it: the wiring on the actuator's side, that on the
	 * server, that on one connection's handling, that on the limits and the PROXY protocol; none reaches up.
	 */
	@ArchTest
	static final ArchRule theResponderRoomsAreLayered = topDown("io.tcpresponder.responder",
			"io.tcpresponder.responder.actuate..", "io.tcpresponder.responder.server..",
			"io.tcpresponder.responder.connection..", "io.tcpresponder.responder.limit..",
			"io.tcpresponder.responder.proxy..");

	/**
	 * The bind oracle reads the kernel through the contract and knows nothing of the responder that asks it.
	 */
	@ArchTest
	static final ArchRule theBindOracleKnowsNoResponder = noClasses().that()
		.resideInAPackage("io.tcpresponder.kernel.bind..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("io.tcpresponder.responder..");

	/**
	 * Native memory, downcalls and their failure modes stay in one package that the rest reaches through the contract.
	 */
	@ArchTest
	static final ArchRule onlyTheLinuxTransportUsesTheForeignFunctionApi = noClasses().that()
		.resideOutsideOfPackage(LINUX)
		.should()
		.dependOnClassesThat()
		.resideInAPackage("java.lang.foreign..");

	/**
	 * The feature chooses the native transport by name and uses it through the contract, so that the Linux package's
	 * other types can change freely.
	 */
	@ArchTest
	static final ArchRule theFeatureReachesTheLinuxTransportOnlyThroughItsEntryPoint = noClasses().that()
		.resideOutsideOfPackage(LINUX)
		.should()
		.dependOnClassesThat(resideInAPackage(LINUX).and(not(belongToAnyOf(NativeTransport.class))));

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("io.tcpresponder.(**)").should().beFreeOfCycles();

	/**
	 * Packages in layers, the first on top: each may be used only by those above it.
	 */
	private static ArchRule topDown(String... packages) {
		LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
		for (String layer : packages) {
			layers = layers.layer(layer).definedBy(layer);
		}
		layers = layers.whereLayer(packages[0]).mayNotBeAccessedByAnyLayer();
		for (int i = 1; i < packages.length; i++) {
			layers = layers.whereLayer(packages[i]).mayOnlyBeAccessedByLayers(Arrays.copyOf(packages, i));
		}
		return layers;
	}

}
