package io.tcpresponder.responder.actuate;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.TimeWaitRestart;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restart refused by the responder's own TIME_WAIT, as an operator meets it over HTTP: the 409's {@code Retry-After}
 * and {@code freeAt}, health's {@code freeAt}, and the countdown that Prometheus scrapes, which the alert
 * {@code TcpResponderPortFreeNotBound} reads; then a restart with SO_REUSEADDR on binds, and the countdown goes. A dry
 * run before each restart says what it then meets, closing nothing.
 */
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "responder.bind-addresses=127.0.0.1", "responder.retry-bind=false" })
class ResponderTimeWaitIntegrationTests {

	private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

	/** Bounds the wait for the scrape's countdown to move: a failure, not a speed claim. */
	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Pattern UNTIL_FREE = Pattern
		.compile("(?m)^responder_listener_until_free_seconds\\{[^}]*address=\"127\\.0\\.0\\.1\"[^}]*} (\\S+)$");

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	@Test
	void aRestartRefusedByTimeWaitSaysWhenThePortFreesWhereverAnOperatorLooks() {
		Actuator actuator = new Actuator(this.httpPort).asOperator(this.security);
		int port = actuator.responder().get("port").asInt();
		TimeWaitRestart.leaveTimeWait(actuator, LOOPBACK);
		HttpResponse<String> asked = actuator.post("/actuator/responder/restart",
				"{\"reuseAddress\": false, \"dryRun\": true}");
		assertThat(asked.statusCode()).as("a dry run answers what the restart would meet").isEqualTo(200);
		JsonNode check = Actuator.json(asked);
		assertThat(check.get("wouldBind").asBoolean()).isFalse();
		assertThat(check.at("/listeners/0/wouldBind").asBoolean()).isFalse();
		assertThat(actuator.responder().get("state").asString()).as("nothing closed").isEqualTo("LISTENING");
		assertThat(actuator.responder().at("/restarts/checked").asLong()).isEqualTo(1);

		HttpResponse<String> refused = actuator.post("/actuator/responder/restart", "{\"reuseAddress\": false}");
		Instant answeredAt = Instant.now();
		assertThat(refused.statusCode()).isEqualTo(409);
		JsonNode problem = Actuator.json(refused);
		assertThat(problem.at("/blockers/timeWait").asLong()).isEqualTo(3);
		assertThat(problem.get("reuseAddressWouldHelp").asBoolean()).as("the TIME_WAIT came from a listener with it")
			.isTrue();
		Instant freeAt = Instant.parse(problem.get("freeAt").asString());
		JsonNode predicted = check.at("/listeners/0");
		assertThat(predicted.get("blockers")).as("the dry run's blockers against the restart's")
			.isEqualTo(problem.get("blockers"));
		assertThat(predicted.get("reuseAddressWouldHelp")).isEqualTo(problem.get("reuseAddressWouldHelp"));
		assertThat(Duration.between(Instant.parse(predicted.get("freeAt").asString()), freeAt).abs())
			.isLessThan(Duration.ofMillis(50));
		long untilFree = Duration.between(answeredAt, freeAt).toMillis();
		assertThat(untilFree).as("TIME_WAIT lasts 60 s, and the timer wheel's bucket at most 5.12 s more")
			.isPositive()
			.isLessThanOrEqualTo(66_000);
		long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
		assertThat(retryAfter).as("Retry-After: the whole seconds until freeAt, rounded up")
			.isBetween(Math.ceilDiv(untilFree, 1000) - 1, Math.ceilDiv(untilFree, 1000) + 1);

		assertThat(actuator.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		JsonNode health = Actuator.json(actuator.get("/actuator/health/details"));
		assertThat(health.at("/components/responder/details/state").asString()).isEqualTo("FAILED");
		assertThat(Instant.parse(health.at("/components/responder/details/freeAt").asString())).isEqualTo(freeAt);
		JsonNode listener = actuator.responder().at("/listeners/0");
		assertThat(listener.get("freeAt").asString()).isEqualTo(problem.get("freeAt").asString());
		assertThat(listener.get("clock").asString()).as("the kernel clock freeAt was told by, which any user may read")
			.isEqualTo("times");

		double first = untilFreeScraped(actuator);
		assertThat(first).isPositive().isLessThanOrEqualTo(untilFree / 1000.0);
		await().atMost(WAIT).untilAsserted(() -> assertThat(untilFreeScraped(actuator)).isLessThan(first));

		JsonNode wouldBind = Actuator.json(
				actuator.post("/actuator/responder/restart", "{\"reuseAddress\": true, \"dryRun\": true}"));
		assertThat(wouldBind.get("wouldBind").asBoolean()).isTrue();
		assertThat(actuator.post("/actuator/responder/restart", "{\"reuseAddress\": true}").statusCode())
			.as("SO_REUSEADDR on both sides binds over TIME_WAIT, as the dry run said")
			.isEqualTo(200);
		assertThat(Clients.fetch(LOOPBACK, port)).isEqualTo(Clients.LINE);
		assertThat(UNTIL_FREE.matcher(actuator.get("/actuator/prometheus").body()).find())
			.as("no countdown once it listens")
			.isFalse();
	}

	private static double untilFreeScraped(Actuator actuator) {
		Matcher row = UNTIL_FREE.matcher(actuator.get("/actuator/prometheus").body());
		assertThat(row.find()).as("responder_listener_until_free_seconds of 127.0.0.1").isTrue();
		return Double.parseDouble(row.group(1));
	}

}
