package io.tcpresponder.page;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.Set;

import io.tcpresponder.support.Actuator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson page over HTTP, as a browser and curl get it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class LessonPageTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int httpPort;

	@org.springframework.beans.factory.annotation.Autowired
	private LessonPage page;

	@Test
	void thePageIsInTheBrowsersLanguageAndItsSwitchWins() throws Exception {
		HttpResponse<String> chinese = get("/", "zh-CN,zh;q=0.9,en;q=0.5");
		assertThat(chinese.statusCode()).isEqualTo(200);
		assertThat(chinese.headers().firstValue("Content-Language")).hasValue("zh-CN");
		assertThat(chinese.headers().firstValue("Vary").orElse("")).containsIgnoringCase("Accept-Language");
		assertThat(chinese.body()).contains("<html lang=\"zh-CN\">",
				bundle(Locale.SIMPLIFIED_CHINESE).getString("page.title"));
		HttpResponse<String> switched = get("/?lang=en", "zh-CN,zh;q=0.9");
		assertThat(switched.headers().firstValue("Content-Language")).hasValue("en");
		assertThat(switched.body()).contains("<html lang=\"en\">", bundle(Locale.ROOT).getString("page.title"));
		assertThat(get("/?lang=xx-%25", null).headers().firstValue("Content-Language")).hasValue("en");
		HttpResponse<String> head = this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/"))
					.method("HEAD", HttpRequest.BodyPublishers.noBody())
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Content-Language")).hasValue("en");
	}

	@Test
	void everyAnswerForbidsScriptsStylesAndRequestsFromAnywhereButTheService() throws Exception {
		for (String path : new String[] { "/", "/lesson/lesson.js", "/actuator/responder" }) {
			String policy = get(path, null).headers().firstValue("Content-Security-Policy").orElse("");
			assertThat(policy).as(path)
				.contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
						"frame-ancestors 'none'")
				.doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
		}
	}

	@Test
	void theScriptsAndStylesComeFromTheService() throws Exception {
		String page = get("/", null).body();
		Set<String> assets = new java.util.TreeSet<>();
		java.util.regex.Matcher links = java.util.regex.Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page);
		while (links.find()) {
			assets.add(links.group(1));
		}
		assertThat(assets).filteredOn((link) -> link.endsWith(".js") || link.endsWith(".css"))
			.hasSize(4)
			.allSatisfy((link) -> {
				assertThat(link).startsWith("/lesson/");
				assertThat(get(link, null).statusCode()).as(link).isEqualTo(200);
			});
		assertThat(assets).allSatisfy((link) -> assertThat(link).doesNotStartWith("http").doesNotStartWith("//"));
	}

	@Test
	void thePageAddsNoWritePath() {
		Actuator anonymous = new Actuator(this.httpPort);
		assertThat(anonymous.post("/", "{}").statusCode()).isEqualTo(401);
		assertThat(anonymous.post("/lesson/lesson.js", "{}").statusCode()).isEqualTo(401);
		assertThat(anonymous.post("/actuator/responder/restart", "{}").statusCode()).isEqualTo(401);
	}

	@Test
	void everyTextIsWrittenInEveryLanguage() throws IOException {
		Properties english = PropertiesLoaderUtils.loadProperties(new ClassPathResource("messages.properties"));
		Properties chinese = new Properties();
		try (var in = new ClassPathResource("messages_zh_CN.properties").getInputStream()) {
			chinese.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
		}
		assertThat(chinese.stringPropertyNames()).isEqualTo(english.stringPropertyNames());
		assertThat(chinese.stringPropertyNames()).allSatisfy((key) -> {
			assertThat(chinese.getProperty(key)).as(key).isNotBlank();
			assertThat(placeholders(chinese.getProperty(key))).as(key).isEqualTo(placeholders(english.getProperty(key)));
		});
		assertThat(this.page.restartFields()).containsKeys("mode", "reuseAddress", "port", "maxConnections");
		for (String field : this.page.restartFields().keySet()) {
			assertThat(english.getProperty("restart.field." + field)).as("the form's label of %s", field).isNotBlank();
		}
	}

	private static Set<String> placeholders(String text) {
		Set<String> found = new java.util.TreeSet<>();
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\{\\w+\\}").matcher(text);
		while (matcher.find()) {
			found.add(matcher.group());
		}
		return found;
	}

	private static ResourceBundle bundle(Locale locale) {
		return Texts.of(locale);
	}

	private HttpResponse<String> get(String path, String acceptLanguage) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path));
		if (acceptLanguage != null) {
			request.header("Accept-Language", acceptLanguage);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
