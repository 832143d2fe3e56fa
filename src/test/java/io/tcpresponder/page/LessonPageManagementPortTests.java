package io.tcpresponder.page;

import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a separate management port the page goes where Actuator goes, so that it reads the endpoint from its own
 * origin; the server's port has no page.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "management.server.port=0" })
class LessonPageManagementPortTests {

	@LocalManagementPort
	private int managementPort;

	@LocalServerPort
	private int serverPort;

	@Test
	void thePageIsServedBesideTheEndpoint() {
		Actuator management = new Actuator(this.managementPort);
		var page = management.get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("data-endpoint=\"/actuator/responder\"");
		assertThat(management.get("/lesson/lesson.js").statusCode()).isEqualTo(200);
		assertThat(management.get("/lesson/webjars/uplot/dist/uPlot.iife.min.js").statusCode()).isEqualTo(200);
		assertThat(management.get("/actuator/responder").statusCode()).isEqualTo(200);
		assertThat(new Actuator(this.serverPort).get("/").statusCode()).isEqualTo(404);
	}

}
