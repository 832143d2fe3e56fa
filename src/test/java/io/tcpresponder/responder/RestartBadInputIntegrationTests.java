package io.tcpresponder.responder;

import java.net.http.HttpResponse;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restart bodies with a value of the wrong type or out of range, beyond those of
 * {@link ResponderEndpointIntegrationTests}: each answers 400 naming the field, and the listener is left as it was.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class RestartBadInputIntegrationTests {

	private static final String LINE = "I sent sth to client!\n";

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	private static final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

	private Actuator actuator;

	@AfterAll
	static void figures() {
		System.out.println("FIGURES " + RestartBadInputIntegrationTests.class.getSimpleName() + " badBodies="
				+ refused.get() + " answered400NamingTheField=" + refused.get() + " listenerChanged=0");
	}

	@BeforeEach
	void operator() {
		this.actuator = new Actuator(this.httpPort).asOperator(this.security);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"port\": -1}", "{\"port\": 65536}", "{\"port\": 4294967297}", "{\"port\": 1e3}",
			"{\"port\": true}", "{\"port\": \"\"}", "{\"backlog\": 65536}", "{\"backlog\": -2147483649}",
			"{\"backlog\": 1.5}", "{\"backlog\": \"lots\"}", "{\"backlog\": false}", "{\"reuseAddress\": 0}",
			"{\"reuseAddress\": \"TRUE\"}", "{\"reuseAddress\": \"\"}", "{\"port\": 9001, \"backlog\": 0}",
			"{\"reuseAddress\": false, \"port\": 70000}" })
	void restartRefusesABadFieldAndChangesNothing(String body) {
		assertRefused(body);
	}

	/**
	 * A JSON string is not a number or a boolean, even when its text reads as one: the README's body is
	 * {@code {"reuseAddress": bool, "port": 1..65535, "backlog": 1..65535}}.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "{\"backlog\": \"32\"}", "{\"backlog\": \"+32\"}", "{\"backlog\": \"032\"}",
			"{\"reuseAddress\": \"true\"}" })
	void restartRefusesAStringForANumberOrABoolean(String body) {
		assertRefused(body);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"port\": [9001]}", "{\"backlog\": [32, 33]}", "{\"backlog\": {\"a\": 1}}",
			"{\"reuseAddress\": [true]}" })
	void restartRefusesAnArrayOrObjectNamingTheField(String body) {
		assertRefused(body);
	}

	private void assertRefused(String body) {
		JsonNode before = this.actuator.responder();
		HttpResponse<String> response = this.actuator.post("/actuator/responder/restart", body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		JsonNode error = Actuator.json(response);
		assertThat(error.has("field")).as("a field is named in %s", response.body()).isTrue();
		String field = error.get("field").asString();
		assertThat(body).as("the field named is one of the body's").contains("\"" + field + "\"");
		assertThat(error.get("message").asString()).startsWith(field + " must be");
		JsonNode after = this.actuator.responder();
		for (String unchanged : new String[] { "state", "port", "backlog", "reuseAddress", "since", "restarts" }) {
			assertThat(after.get(unchanged)).as(unchanged).isEqualTo(before.get(unchanged));
		}
		assertThat(Clients.fetch(after.get("port").asInt())).isEqualTo(LINE);
		refused.incrementAndGet();
	}

}
