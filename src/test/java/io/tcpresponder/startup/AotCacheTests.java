package io.tcpresponder.startup;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
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

	@BeforeAll
	static void imageTree() {
		image = ImageCommand.of(ImageCommand.AOT);
	}

	@Test
	void theImagesCommandTakesTheServicesClassesFromTheCache() {
		Path log = this.logs.resolve("class-load.log");
		String output;
		try (ServiceProcess service = start(List.of(ClassLoading.option(log)))) {
			service.awaitReady();
			assertThat(Clients.fetch(service.tcpPort())).isEqualTo(Clients.LINE);
			service.stop();
			output = service.output();
		}
		assertThat(output).doesNotContain("[warning][aot", "[error][aot");
		ClassLoading loading = ClassLoading.read(log);
		assertThat(loading.serviceFromCache()).as(loading.toString())
			.contains("io.tcpresponder.TcpResponderApplication", "io.tcpresponder.responder.TcpResponder",
					"io.tcpresponder.responder.EarlyResponderStart",
					"io.tcpresponder.TcpResponderApplication__ApplicationContextInitializer");
		assertThat(loading.fromCache()).as(loading.toString())
			.contains("org.springframework.boot.SpringApplication", "org.apache.catalina.core.StandardContext",
					"tools.jackson.databind.json.JsonMapper");
	}

	@Test
	void theImagesCommandServesWithSpringAot() {
		try (ServiceProcess service = start(List.of()).awaitReady()) {
			Actuator actuator = service.actuator();
			assertThat(Clients.fetch(service.tcpPort())).isEqualTo(Clients.LINE);
			assertThat(Actuator.json(actuator.get("/actuator/responder")).path("state").asString())
				.isEqualTo("LISTENING");
			assertThat(actuator.get("/actuator/prometheus").body()).contains("responder_connections_accepted_total");
			assertThat(actuator.post("/actuator/responder/restart", "").statusCode()).isEqualTo(401);
			assertThat(service.output()).containsOnlyOnce("TCP responder listening")
				.contains("Starting AOT-processed TcpResponderApplication");
		}
	}

	@Test
	void operatorSettingsApplyWithSpringAot() {
		try (ServiceProcess service = start(List.of(), "--spring.security.user.name=operator",
				"--spring.security.user.password=secret", "--responder.security.anonymous-reads=false")
			.awaitReady()) {
			Actuator anonymous = service.actuator();
			Actuator operator = anonymous.withBasicAuth("operator", "secret");
			assertThat(anonymous.get("/actuator/responder").statusCode()).isEqualTo(401);
			assertThat(operator.get("/actuator/responder").statusCode()).isEqualTo(200);
			HttpResponse<String> restart = operator.post("/actuator/responder/restart", "{\"backlog\": 64}");
			assertThat(restart.statusCode()).isEqualTo(200);
			assertThat(Actuator.json(restart).path("backlog").asInt()).isEqualTo(64);
			assertThat(Clients.fetch(service.tcpPort())).isEqualTo(Clients.LINE);
		}
	}

	private ServiceProcess start(List<String> jvmOptions, String... settings) {
		return ServiceProcess.start(image.command(jvmOptions), image.workingDirectory(),
				this.logs.resolve("service.log"), settings);
	}

}
