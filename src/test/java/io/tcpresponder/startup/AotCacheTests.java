package io.tcpresponder.startup;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.JvmProcess;
import io.tcpresponder.support.LocalPorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's own command, Spring AOT and AOT cache included, on the image's tree that {@code mvn -Paot package} made:
 * tagged {@code aot}, these run with {@code mvn -Paot verify}, after the training run.
 */
@Tag("aot")
class AotCacheTests {

	private static ImageCommand image;

	@TempDir
	Path logs;

	private final int tcpPort = LocalPorts.free();

	@BeforeAll
	static void imageTree() {
		image = ImageCommand.of(ImageCommand.AOT);
	}

	@Test
	void theImagesCommandTakesTheServicesClassesFromTheCache() {
		Path log = this.logs.resolve("class-load.log");
		String output;
		try (JvmProcess service = start(List.of(ClassLoading.option(log)))) {
			service.awaitReady();
			assertThat(Clients.fetch(this.tcpPort)).isEqualTo(Clients.LINE);
			service.stop();
			output = service.log();
		}
		assertThat(output).doesNotContain("[warning][aot", "[error][aot");
		ClassLoading loading = ClassLoading.read(log);
		assertThat(loading.serviceFromCache()).as(loading.toString())
			.contains("io.tcpresponder.TcpResponderApplication", "io.tcpresponder.responder.server.TcpResponder",
					"io.tcpresponder.responder.EarlyResponderStart",
					"io.tcpresponder.TcpResponderApplication__ApplicationContextInitializer");
		assertThat(loading.fromCache()).as(loading.toString())
			.contains("org.springframework.boot.SpringApplication", "org.apache.catalina.core.StandardContext",
					"tools.jackson.databind.json.JsonMapper");
	}

	@Test
	void theImagesCommandServesWithSpringAot() {
		try (JvmProcess service = start(List.of())) {
			Actuator actuator = service.awaitReady();
			assertThat(Clients.fetch(this.tcpPort)).isEqualTo(Clients.LINE);
			assertThat(Actuator.json(actuator.get("/actuator/responder")).path("state").asString())
				.isEqualTo("LISTENING");
			assertThat(actuator.get("/actuator/prometheus").body()).contains("responder_connections_accepted_total");
			assertThat(actuator.post("/actuator/responder/restart", "").statusCode()).isEqualTo(401);
			assertThat(service.log()).containsOnlyOnce("TCP responder listening")
				.contains("Starting AOT-processed TcpResponderApplication");
		}
	}

	@Test
	void operatorSettingsApplyWithSpringAot() {
		try (JvmProcess service = start(List.of(), "--spring.security.user.name=operator",
				"--spring.security.user.password=secret", "--responder.security.anonymous-reads=false")) {
			Actuator anonymous = service.awaitReady();
			Actuator operator = anonymous.withBasicAuth("operator", "secret");
			assertThat(anonymous.get("/actuator/responder").statusCode()).isEqualTo(401);
			assertThat(operator.get("/actuator/responder").statusCode()).isEqualTo(200);
			HttpResponse<String> restart = operator.post("/actuator/responder/restart", "{\"backlog\": 64}");
			assertThat(restart.statusCode()).isEqualTo(200);
			assertThat(Actuator.json(restart).path("backlog").asInt()).isEqualTo(64);
			assertThat(Clients.fetch(this.tcpPort)).isEqualTo(Clients.LINE);
		}
	}

	private JvmProcess start(List<String> jvmOptions, String... settings) {
		return image.service(image.command(jvmOptions), this.tcpPort, LocalPorts.free())
			.arguments(settings)
			.log(this.logs.resolve("service.log"))
			.start();
	}

}
