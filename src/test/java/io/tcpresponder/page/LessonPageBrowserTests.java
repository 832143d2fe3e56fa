package io.tcpresponder.page;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.UUID;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lesson page in a real browser against the running service: what it shows is what the endpoint's GET gives,
 * it follows the kernel's view as real TCP clients connect, and it shows the restart's answers as the service gives
 * them. After each test: nothing logged as an error in the page's console (a Content-Security-Policy violation
 * included) and no request to any host but the service.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.tcp.refresh-interval=2s")
@DirtiesContext
class LessonPageBrowserTests {

	/**
	 * Bounds a wait for what the page shows: a failure, not a speed claim (a busy host may take seconds to read the
	 * kernel's table, to start a browser or to run its script).
	 */
	static final Duration WAIT = Duration.ofSeconds(60);

	private static final int PORT = Ports.unused();

	static final ResourceBundle ENGLISH = Texts.of(Locale.ROOT);

	private static Browser browser;

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	private Actuator operator;

	private URI origin;

	@DynamicPropertySource
	static void responderPort(DynamicPropertyRegistry registry) {
		registry.add("responder.port", () -> PORT);
	}

	@BeforeEach
	void openThePage() {
		this.origin = URI.create("http://127.0.0.1:" + this.httpPort);
		this.operator = new Actuator(this.httpPort).asOperator(this.security);
		if (browser == null) {
			browser = new Browser("en-US");
		}
		browser.open(this.origin + "/");
	}

	@AfterEach
	void thePageLoggedNoErrorAndAskedOnlyTheService() {
		assertThat(browser.consoleErrors(this.origin + "/actuator/responder")).as("errors in the page's console")
			.isEmpty();
		assertThat(browser.requests()).isNotEmpty()
			.allSatisfy((url) -> assertThat(Browser.sameOriginOrNone(url, this.origin)).as(url).isTrue());
	}

	@AfterAll
	static void closeTheBrowser() {
		if (browser != null) {
			browser.close();
			browser = null;
		}
	}

	@Test
	void showsTheListenerAsTheGetGivesIt() throws Exception {
		JsonNode state = this.operator.responder();
		JsonNode listener = state.get("listeners").get(0);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(browser.textOf("#listeners tbody td[data-state-of]"))
				.isEqualTo(ENGLISH.getString("script.state." + listener.get("state").asString()));
			assertThat(browser.textOf("#listeners tbody td.number")).isEqualTo(listener.get("port").asString());
		});
		assertThat(listener.get("port").asInt()).isEqualTo(PORT);
		assertThat(browser.textOf("[data-option=reuseAddress]"))
			.isEqualTo(ENGLISH.getString(state.get("reuseAddress").asBoolean() ? "script.on" : "script.off"));
		assertThat(browser.textOf("[data-option=backlog]")).isEqualTo(state.get("backlog").asString());
		assertThat(browser.textOf("[data-option=transport]")).isEqualTo(state.get("transport").asString());
		assertThat(browser.textOf("pre code .port")).isEqualTo(String.valueOf(PORT));
		long[] bytes = browser.bytesReceived(this.origin + "/actuator/responder");
		assertThat(bytes[0]).as("the page's own bytes").isPositive();
		Files.createDirectories(Browser.SCREENSHOTS);
		Files.writeString(Browser.SCREENSHOTS.resolve("first-load.txt"),
				"bytes received on the first load, headers included: the page, its scripts and styles " + bytes[0]
						+ "; its reads of the endpoint so far " + bytes[1] + "\n",
				StandardCharsets.UTF_8);
		browser.screenshot("listening");
		assertThat(browser.seriousAccessibilityViolations()).isEmpty();
	}

	@Test
	void timeWaitRisesInTheChartAndTheFiguresAsClientsConnect() {
		await().atMost(WAIT).until(() -> browser.textOf("#listeners tbody td[data-state-of]") != null);
		for (int i = 0; i < 3; i++) {
			assertThat(Clients.fetch(PORT)).isEqualTo(LINE);
		}
		// The page shows the very reading that the GET gives once the kernel has the clients' TIME_WAIT sockets,
		// in the chart's table and in the figures.
		await().atMost(WAIT).untilAsserted(() -> {
			JsonNode tcp = this.operator.responder().get("tcp");
			long timeWait = tcp.get("states").get("TIME_WAIT").asLong();
			assertThat(timeWait).isGreaterThanOrEqualTo(3);
			String row = "#samples tbody tr[data-read-at='" + tcp.get("readAt").asString() + "']";
			assertThat(number(browser.textOf(row + " td[data-state=TIME_WAIT]"))).isEqualTo(timeWait);
			assertThat(number(browser.textOf("dd[data-state=TIME_WAIT]"))).isEqualTo(timeWait);
		});
		assertThat(number(browser.textOf("[data-figure=accepted]"))).isGreaterThanOrEqualTo(3);
		assertThat(browser.textOf("[data-figure=proxyProtocol]")).as("the PROXY protocol setting").isEqualTo("off");
		assertThat(browser.textOf("[data-figure=proxyHeaders]")).as("headers: v1 / v2 / local / invalid / timeout / direct")
			.isEqualTo("0 / 0 / 0 / 0 / 0 / 0");
		browser.screenshot("time-wait");
	}

	@Test
	void aRestartWithWrongCredentialsShowsThe401() {
		fill("username", this.security.getUser().getName());
		fill("password", "not-" + UUID.randomUUID());
		browser.find("#restart button[type=submit]").click();
		await().atMost(WAIT).until(() -> "401".equals(browser.attributeOf("#answer", "data-status")));
		assertThat(browser.textOf("#answer")).contains(ENGLISH.getString("script.answer.unauthorized"));
		assertThat(this.operator.responder().get("state").asString()).isEqualTo("LISTENING");
		browser.screenshot("unauthorized");
	}

	@Test
	void aRestartWithoutReuseAddressOverTimeWaitShowsTheKernelsVerdictAndTheCountdown() {
		await().atMost(WAIT).until(() -> browser.textOf("#listeners tbody td[data-state-of]") != null);
		assertThat(Clients.fetch(PORT)).isEqualTo(LINE);
		try {
			fill("username", this.security.getUser().getName());
			fill("password", this.security.getUser().getPassword());
			new Select(browser.find("#field-reuseAddress")).selectByValue("false");
			browser.find("#restart-check").click();
			await().atMost(WAIT).until(() -> "false".equals(browser.attributeOf("#answer", "data-would-bind")));
			assertThat(browser.attributeOf("#answer", "data-status")).isEqualTo("200");
			assertThat(browser.textOf("#answer")).contains(ENGLISH.getString("script.answer.wouldNotBind"));
			assertThat(browser.attributeOf("#answer [data-blocked]", "data-blocked")).isEqualTo("::");
			assertThat(browser.textOf("#listeners tbody td[data-state-of]")).as("the check closed nothing")
				.isEqualTo(ENGLISH.getString("script.state.LISTENING"));
			browser.find("#restart button[type=submit]").click();
			await().atMost(WAIT).until(() -> "409".equals(browser.attributeOf("#answer", "data-status")));
			assertThat(browser.attributeOf("#answer [data-code]", "data-code")).isEqualTo("EADDRINUSE");
			assertThat(browser.attributeOf("#answer [data-errno]", "data-errno")).isEqualTo("98");
			assertThat(browser.textOf("#listeners tbody td[data-state-of]"))
				.isEqualTo(ENGLISH.getString("script.state.FAILED"));
			assertThat(browser.textOf("#listeners .verdict .error")).contains("EADDRINUSE", "98", "bind");

			JsonNode failed = this.operator.responder().get("listeners").get(0);
			Instant freeAt = Instant.parse(failed.get("freeAt").asString());
			assertThat(Instant.parse(browser.attributeOf("#listeners [data-free-at]", "data-free-at")))
				.isEqualTo(freeAt);
			// The countdown ticks each second on the browser's clock, which is this machine's.
			await().atMost(WAIT).untilAsserted(() -> {
				long shown = Long.parseLong(browser.attributeOf("#listeners [data-free-at]", "data-seconds"));
				long due = Math.max(0, (long) Math.ceil(Duration.between(Instant.now(), freeAt).toMillis() / 1000.0));
				assertThat(shown).isBetween(due - 1, due + 1);
			});
			assertThat(browser.textOf("#listeners [data-free-at]")).matches("\\d+ s");
			browser.screenshot("eaddrinuse");
			assertThat(browser.seriousAccessibilityViolations()).isEmpty();

			// SO_REUSEADDR binds over TIME_WAIT sockets that a listener with it on accepted.
			new Select(browser.find("#field-reuseAddress")).selectByValue("true");
			browser.find("#restart-check").click();
			await().atMost(WAIT).until(() -> "true".equals(browser.attributeOf("#answer", "data-would-bind")));
			assertThat(browser.textOf("#answer")).contains(ENGLISH.getString("script.answer.wouldBind"));
			browser.find("#restart button[type=submit]").click();
			await().atMost(WAIT).until(() -> "200".equals(browser.attributeOf("#answer", "data-status")));
			assertThat(browser.textOf("#answer")).contains(ENGLISH.getString("script.answer.ok")
				.replace("{state}", ENGLISH.getString("script.state.LISTENING"))
				.replace("{port}", String.valueOf(PORT)));
			assertThat(browser.textOf("#listeners tbody td[data-state-of]"))
				.isEqualTo(ENGLISH.getString("script.state.LISTENING"));
			browser.screenshot("rebound");
		}
		finally {
			if (!"LISTENING".equals(this.operator.responder().get("state").asString())) {
				this.operator.post("/actuator/responder/restart", "{\"reuseAddress\": true}");
			}
		}
		assertThat(this.operator.responder().get("reuseAddress").asBoolean()).isTrue();
	}

	@Test
	void aRestartWithABadValueShowsThe400NamingTheFieldAndChangesNothing() {
		JsonNode before = this.operator.responder();
		fill("username", this.security.getUser().getName());
		fill("password", this.security.getUser().getPassword());
		fill("field-backlog", "0");
		browser.find("#restart button[type=submit]").click();
		await().atMost(WAIT).until(() -> "400".equals(browser.attributeOf("#answer", "data-status")));
		assertThat(browser.attributeOf("#answer [data-field]", "data-field")).isEqualTo("backlog");
		assertThat(browser.textOf("#answer .detail")).contains("backlog");
		JsonNode after = this.operator.responder();
		assertThat(after.get("backlog")).isEqualTo(before.get("backlog"));
		assertThat(after.get("since")).isEqualTo(before.get("since"));
		browser.screenshot("bad-request");
	}

	private static void fill(String id, String value) {
		WebElement field = browser.find("#" + id);
		field.clear();
		field.sendKeys(value);
	}

	/** A figure as the page writes it in the reader's locale ("1,234"), as a number. */
	static long number(String shown) {
		assertThat(shown).as("a figure").isNotNull();
		return Long.parseLong(shown.replaceAll("[^0-9]", ""));
	}

}
