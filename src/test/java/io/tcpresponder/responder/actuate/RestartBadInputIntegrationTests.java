package io.tcpresponder.responder.actuate;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.tcpresponder.TcpResponderApplication;
import io.tcpresponder.responder.server.ListenerSettings;
import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restart requests that must change nothing: a bad value, a body of the wrong shape, a query parameter, a body too
 * long. Each answers 400 with a problem naming the field at fault, and the listener is left as it was, whichever way
 * the request reached the restart: percent-encoded paths, and a second service whose actuator has its own port, its
 * own base path and a path mapping for the responder.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class RestartBadInputIntegrationTests {

	private static final List<String> SETTINGS = List.of("state", "address", "port", "reuseAddress", "reusePort",
			"ipv6Only", "backlog", "acceptors", "since", "listeners", "restarts");

	private static final AtomicInteger refused = new AtomicInteger();

	/** The service whose actuator is on the management port, under /manage, with the responder at /listener. */
	private static ConfigurableApplicationContext elsewhere;

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	private Actuator actuator;

	private Actuator elsewhereActuator;

	private Actuator reader;

	private Actuator elsewhereReader;

	@BeforeAll
	static void startElsewhere() {
		// As arguments: default properties would lose to application.yml's server.port 8080.
		elsewhere = new SpringApplicationBuilder(TcpResponderApplication.class).run("--server.port=0",
				"--management.server.port=0", "--management.endpoints.web.base-path=/manage",
				"--management.endpoints.web.path-mapping.responder=listener", "--responder.port=0");
	}

	@AfterAll
	static void figures() {
		elsewhere.close();
		System.out.println("FIGURES " + RestartBadInputIntegrationTests.class.getSimpleName() + " refusedRequests="
				+ refused.get() + " routes=" + routes().count());
	}

	@BeforeEach
	void operator() {
		this.reader = new Actuator(this.httpPort);
		this.actuator = this.reader.asOperator(this.security);
		this.elsewhereReader = new Actuator(
				elsewhere.getEnvironment().getRequiredProperty("local.management.port", Integer.class));
		this.elsewhereActuator = this.elsewhereReader.asOperator(elsewhere.getBean(SecurityProperties.class));
	}

	/**
	 * Every way a POST reaches the restart operation: Spring decodes the path before it routes, so the guard must hold
	 * on the encoded paths too.
	 */
	static Stream<Route> routes() {
		return Stream.of(new Route("/actuator/responder/restart", false),
				new Route("/actuator/responder/%72estart", false), new Route("/%61ctuator/responder/restart", false),
				new Route("/actuator/responder/restar%74", false), new Route("/actuator/%72esponder/restart", false),
				new Route("/manage/listener/restart", true), new Route("/manage/li%73tener/%72estart", true));
	}

	@ParameterizedTest
	@MethodSource("routes")
	void everyRouteReachesTheRestart(Route route) {
		JsonNode before = responder(route);
		HttpResponse<String> response = actuator(route).post(route.path(), "");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(Actuator.json(response).at("/restarts/succeeded").asLong())
			.isEqualTo(before.at("/restarts/succeeded").asLong() + 1);
	}

	@ParameterizedTest
	@MethodSource("routes")
	void aStringForANumberAndAnUnknownFieldAreRefusedOnEveryRoute(Route route) {
		assertRefused(route, route.path(), "{\"backlog\":\"64\",\"bogus\":1}", "backlog",
				"backlog must be a JSON integer");
		assertRefused(route, route.path(), "{\"bogus\": 1}", "bogus", "unknown field \"bogus\"");
	}

	@ParameterizedTest
	@MethodSource("routes")
	void nullWhitespaceAndDuplicateKeysAreRefusedOnEveryRoute(Route route) {
		assertRefused(route, route.path(), "null", null, "The body must be a JSON object");
		assertRefused(route, route.path(), " \n\t ", null, "The body must be a JSON object");
		assertRefused(route, route.path(), "{\"port\":\"x\",\"port\":19000}", "port",
				"field \"port\" is given more than once");
	}

	@ParameterizedTest
	@MethodSource("routes")
	void queryParametersAreRefusedOnEveryRoute(Route route) {
		assertRefused(route, route.path() + "?backlog=50&bogus=1", "{\"backlog\": 40}", "backlog",
				"query parameter \"backlog\"");
		assertRefused(route, route.path() + "?bogus", "{}", "bogus", "query parameter \"bogus\"");
		assertRefused(route, route.path() + "?port=19001", "", "port", "query parameter \"port\"");
	}

	/**
	 * A body longer than any restart needs is refused before it is read: the answer comes while most of the body is
	 * still unsent, whether its length is announced or it comes in chunks.
	 */
	@ParameterizedTest
	@MethodSource("routes")
	void aBodyTooLongIsRefusedUnreadOnEveryRoute(Route route) {
		JsonNode before = responder(route);
		String announced = actuator(route).postIncomplete(route.path(), "Content-Length: " + 10 * 1024 * 1024,
				"{\"port\": ".getBytes(StandardCharsets.US_ASCII));
		assertTooLong(announced);
		String chunk = "{\"backlog\": 64, \"padding\": \"" + "x".repeat(RestartBody.MAX_BYTES) + "\"}";
		String chunked = actuator(route).postIncomplete(route.path(), "Transfer-Encoding: chunked",
				(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));
		assertTooLong(chunked);
		assertUnchanged(before, responder(route));
		refused.addAndGet(2);
	}

	private static void assertTooLong(String answer) {
		assertThat(answer).startsWith("HTTP/1.1 400")
			.containsIgnoringCase("Content-Type: application/problem+json")
			.contains("\"detail\":\"The body is longer than 4096 bytes\"");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"port": -1}                           | port
			{"port": 65536}                        | port
			{"port": 70000}                        | port
			{"port": 4294967297}                   | port
			{"port": 1e3}                          | port
			{"port": 90.5}                         | port
			{"port": true}                         | port
			{"port": ""}                           | port
			{"port": "abc"}                        | port
			{"port": null}                         | port
			{"backlog": 0}                         | backlog
			{"backlog": -5}                        | backlog
			{"backlog": 65536}                     | backlog
			{"backlog": -2147483649}               | backlog
			{"backlog": 1.5}                       | backlog
			{"backlog": "lots"}                    | backlog
			{"backlog": false}                     | backlog
			{"backlog": "32"}                      | backlog
			{"backlog": "+32"}                     | backlog
			{"backlog": "032"}                     | backlog
			{"reuseAddress": 0}                    | reuseAddress
			{"reuseAddress": 1}                    | reuseAddress
			{"reuseAddress": "TRUE"}               | reuseAddress
			{"reuseAddress": "true"}               | reuseAddress
			{"reuseAddress": "yes"}                | reuseAddress
			{"reuseAddress": ""}                   | reuseAddress
			{"reusePort": "on"}                    | reusePort
			{"ipv6Only": "yes"}                    | ipv6Only
			{"ipv6Only": 1}                        | ipv6Only
			{"mode": "bogus"}                      | mode
			{"mode": 1}                            | mode
			{"port": 9001, "backlog": 0}           | backlog
			{"reuseAddress": false, "port": 70000} | port
			{"port": [9001]}                       | port
			{"backlog": [32, 33]}                  | backlog
			{"backlog": {"a": 1}}                  | backlog
			{"reuseAddress": [true]}               | reuseAddress
			{"bindAddresses": "127.0.0.1"}         | bindAddresses
			{"bindAddresses": 1}                   | bindAddresses
			{"bindAddresses": null}                | bindAddresses
			{"bindAddresses": {"a": "127.0.0.1"}}  | bindAddresses
			{"bindAddresses": [1]}                 | bindAddresses
			{"bindAddresses": ["127.0.0.1", 2]}    | bindAddresses
			{"bindAddresses": [null]}              | bindAddresses
			{"bindAddresses": [["127.0.0.1"]]}     | bindAddresses
			{"bindAddresses": [""]}                | bindAddresses
			{"bindAddresses": [" 127.0.0.1"]}      | bindAddresses
			{"bindAddresses": ["localhost"]}       | bindAddresses
			{"bindAddresses": ["192.0.2.1"]}       | bindAddresses
			{"bindAddresses": ["127.0.0.1", "127.0.0.1"]} | bindAddresses
			{"bindAddresses": ["::1", "0:0:0:0:0:0:0:1"]} | bindAddresses
			{"port": 9001, "bindAddresses": ["x"]} | bindAddresses
			""")
	void aBadValueIsRefusedNamingTheField(String body, String field) {
		assertRefused(standard(), standard().path(), body, field, field + " must be");
	}

	/**
	 * More addresses than {@code responder.bind-addresses} takes: 127.0.0.1 to 127.0.0.17, each an address of this
	 * host.
	 */
	@Test
	void tooManyAddressesAreRefused() {
		String addresses = java.util.stream.IntStream.rangeClosed(1, ListenerSettings.MAX_ADDRESSES + 1)
			.mapToObj((n) -> "\"127.0.0." + n + "\"")
			.collect(java.util.stream.Collectors.joining(", ", "[", "]"));
		assertRefused(standard(), standard().path(), "{\"bindAddresses\": " + addresses + "}", "bindAddresses",
				"bindAddresses must be at most 16 addresses, got [\"127.0.0.1\",");
	}

	/**
	 * A value the transport cannot set is refused as a bad value is, naming the field: on nio, IPV6_V6ONLY.
	 */
	@Test
	void ipv6OnlyIsRefusedOnTheNioTransport() {
		try (ConfigurableApplicationContext nio = new SpringApplicationBuilder(TcpResponderApplication.class).run(
				"--server.port=0", "--responder.port=0", "--responder.transport=nio")) {
			Actuator reader = new Actuator(nio.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
			Actuator operator = reader.asOperator(nio.getBean(SecurityProperties.class));
			JsonNode before = reader.responder();
			assertThat(before.get("transport").asString()).isEqualTo("nio");
			assertThat(before.get("ipv6Only").asBoolean()).isFalse();
			HttpResponse<String> response = operator.post("/actuator/responder/restart", "{\"ipv6Only\": true}");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
			JsonNode problem = Actuator.json(response);
			assertThat(problem.get("field").asString()).isEqualTo("ipv6Only");
			assertThat(problem.get("detail").asString())
				.startsWith("ipv6Only cannot be true on the nio transport: the JDK cannot set IPV6_V6ONLY");
			JsonNode after = reader.responder();
			assertUnchanged(before, after);
			assertThat(Clients.fetch(after.get("port").asInt())).isEqualTo(LINE);
			assertThat(operator.post("/actuator/responder/restart", "{\"ipv6Only\": false}").statusCode())
				.as("false, which it can set").isEqualTo(200);
		}
	}

	@ParameterizedTest
	@MethodSource("bodiesOfTheWrongShape")
	void aBodyOfTheWrongShapeIsRefused(String body, @Nullable String field, String detail) {
		assertRefused(standard(), standard().path(), body, field, detail);
	}

	static Stream<Arguments> bodiesOfTheWrongShape() {
		String anObject = "The body must be a JSON object such as {\"reuseAddress\": false}, or no body at all";
		return Stream.of(
				Arguments.of("{\"bogus\": 1}", "bogus",
						"unknown field \"bogus\"; a restart takes mode, dryRun, reuseAddress, reusePort, ipv6Only, backlog, "
								+ "acceptors, port, bindAddresses"),
				Arguments.of("{\"port\": 9000, \"reuse\": false}", "reuse", "unknown field \"reuse\""),
				Arguments.of("{\"backlog\": 32, \"backlog\": 64}", "backlog",
						"field \"backlog\" is given more than once"),
				Arguments.of("{\"port\": 9000", null, "The body is not a JSON document"),
				Arguments.of("{\"port\": 9000} {}", null, "The body is not a JSON document"),
				Arguments.of("{port: 9000}", null, "The body is not a JSON document"),
				Arguments.of("[1, 2]", null, anObject), Arguments.of("\"restart\"", null, anObject),
				Arguments.of("42", null, anObject), Arguments.of("null", null, anObject),
				Arguments.of(" ", null, anObject), Arguments.of("\r\n", null, anObject));
	}

	/**
	 * Sends a restart that must be refused, and checks the answer and that nothing changed.
	 * @param route the route, whose service is checked
	 * @param path the path to send to, with any query
	 * @param body the body
	 * @param field the field the problem names, or {@code null} where the body as a whole is at fault
	 * @param detail how the problem's detail starts
	 */
	private void assertRefused(Route route, String path, String body, @Nullable String field, String detail) {
		JsonNode before = responder(route);
		HttpResponse<String> response = actuator(route).post(path, body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = Actuator.json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("title").asString()).isEqualTo("Bad Request");
		assertThat(problem.get("detail").asString()).startsWith(detail);
		assertThat(problem.get("instance").asString()).isEqualTo(path.replaceFirst("\\?.*", ""));
		if (field != null) {
			assertThat(problem.get("field").asString()).isEqualTo(field);
		}
		else {
			assertThat(problem.has("field")).as("no field named in %s", response.body()).isFalse();
		}
		JsonNode after = responder(route);
		assertUnchanged(before, after);
		assertThat(Clients.fetch(after.get("port").asInt())).isEqualTo(LINE);
		refused.incrementAndGet();
	}

	private static void assertUnchanged(JsonNode before, JsonNode after) {
		for (String setting : SETTINGS) {
			assertThat(after.get(setting)).as(setting).isEqualTo(before.get(setting));
		}
	}

	private static Route standard() {
		return routes().findFirst().orElseThrow();
	}

	private Actuator actuator(Route route) {
		return route.elsewhere() ? this.elsewhereActuator : this.actuator;
	}

	/** The responder's state, read anonymously as reads are open: no password check per read. */
	private JsonNode responder(Route route) {
		return (route.elsewhere() ? this.elsewhereReader : this.reader)
			.responder(route.elsewhere() ? "/manage/listener" : "/actuator/responder");
	}

	/**
	 * A path to the restart operation.
	 *
	 * @param path the path as sent, percent-encoding kept
	 * @param elsewhere whether it is on the service with the separate management port
	 */
	record Route(String path, boolean elsewhere) {

		@Override
		public String toString() {
			return (this.elsewhere ? "management port: " : "") + this.path;
		}

	}

}
