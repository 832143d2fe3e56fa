package io.tcpresponder.page;

import java.net.URI;
import java.util.Locale;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page in the language of a browser set to Simplified Chinese, and its switch back to English.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class LessonPageLanguageBrowserTests {

	private static final ResourceBundle CHINESE = Texts.of(Locale.SIMPLIFIED_CHINESE);

	@LocalServerPort
	private int httpPort;

	@Test
	void aBrowserSetToChineseGetsThePageInChineseAndCanSwitchToEnglish() {
		URI origin = URI.create("http://127.0.0.1:" + this.httpPort);
		try (Browser browser = new Browser("zh-CN")) {
			browser.open(origin + "/");
			assertThat(browser.attributeOf("html", "lang")).isEqualTo("zh-CN");
			assertThat(browser.textOf("h1")).isEqualTo(CHINESE.getString("page.title"));
			assertThat(browser.textOf("#restart button")).isEqualTo(CHINESE.getString("restart.submit"));
			await().atMost(LessonPageBrowserTests.WAIT).untilAsserted(() -> {
				assertThat(browser.textOf("#listeners tbody td[data-state-of]"))
					.isEqualTo(CHINESE.getString("script.state.LISTENING"));
				assertThat(browser.textOf("#status")).startsWith(CHINESE.getString("script.status.updated")
					.substring(0, CHINESE.getString("script.status.updated").indexOf('{')));
			});
			browser.screenshot("zh-CN");
			assertThat(browser.seriousAccessibilityViolations()).isEmpty();

			browser.find("a[hreflang=en]").click();
			await().atMost(LessonPageBrowserTests.WAIT)
				.untilAsserted(() -> assertThat(browser.attributeOf("html", "lang")).isEqualTo("en"));
			assertThat(browser.textOf("h1")).isEqualTo(LessonPageBrowserTests.ENGLISH.getString("page.title"));
			await().atMost(LessonPageBrowserTests.WAIT)
				.untilAsserted(() -> assertThat(browser.textOf("#listeners tbody td[data-state-of]"))
					.isEqualTo(LessonPageBrowserTests.ENGLISH.getString("script.state.LISTENING")));
			assertThat(browser.consoleErrors(origin + "/actuator/responder")).isEmpty();
			assertThat(browser.requests())
				.allSatisfy((url) -> assertThat(Browser.sameOriginOrNone(url, origin)).as(url).isTrue());
		}
	}

}
