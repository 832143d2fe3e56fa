package io.tcpresponder.page;

import java.net.URI;

import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.tcpresponder.page.LessonPageBrowserTests.ENGLISH;
import static io.tcpresponder.page.LessonPageBrowserTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where anonymous callers may not read, the page shows no figure until the reader gives an operator's credentials.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "responder.security.anonymous-reads=false" })
class LessonPageCredentialsBrowserTests {

	@LocalServerPort
	private int httpPort;

	@Autowired
	private SecurityProperties security;

	@Test
	void thePageAsksForCredentialsAndReadsWithThem() {
		URI origin = URI.create("http://127.0.0.1:" + this.httpPort);
		assertThat(new Actuator(this.httpPort).get("/actuator/responder").statusCode()).isEqualTo(401);
		try (Browser browser = new Browser("en")) {
			browser.open(origin + "/");
			await().atMost(WAIT).untilAsserted(() -> assertThat(browser.textOf("#status"))
				.isEqualTo(ENGLISH.getString("script.status.credentials")));
			assertThat(browser.findAll("#listeners tbody tr")).isEmpty();

			browser.find("#username").sendKeys(this.security.getUser().getName());
			WebElement password = browser.find("#password");
			password.sendKeys(this.security.getUser().getPassword());
			password.sendKeys(Keys.TAB);
			await().atMost(WAIT).untilAsserted(() -> assertThat(browser.textOf("#listeners tbody td[data-state-of]"))
				.isEqualTo(ENGLISH.getString("script.state.LISTENING")));
			assertThat(browser.consoleErrors(origin + "/actuator/responder")).isEmpty();
		}
	}

}
