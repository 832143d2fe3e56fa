package io.tcpresponder.responder.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service started while another process holds the responder's port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ResponderPortInUseIntegrationTests {

	private static final ServerSocket holder = hold();

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	@DynamicPropertySource
	static void heldPort(DynamicPropertyRegistry registry) {
		registry.add("responder.port", holder::getLocalPort);
	}

	@AfterAll
	static void release() throws IOException {
		holder.close();
	}

	@Test
	void failedAndNotReadyUntilARestartBindsOnceThePortIsFree() throws IOException {
		Actuator actuator = new Actuator(this.httpPort).asOperator(this.security);
		JsonNode failed = actuator.responder();
		assertThat(failed.get("state").asString()).isEqualTo("FAILED");
		assertThat(failed.get("port").asInt()).isEqualTo(holder.getLocalPort());
		assertThat(failed.at("/lastError/code").asString()).isEqualTo("EADDRINUSE");
		assertThat(actuator.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		assertThat(actuator.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(actuator.post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(409);
		holder.close();
		assertThat(actuator.post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(200);
		assertThat(actuator.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(Clients.fetch(holder.getLocalPort())).isEqualTo(Clients.LINE);
		JsonNode restarts = actuator.responder().get("restarts");
		assertThat(restarts.get("failed").asLong()).isEqualTo(1);
		assertThat(restarts.get("succeeded").asLong()).isEqualTo(1);
	}

	private static ServerSocket hold() {
		try {
			return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
