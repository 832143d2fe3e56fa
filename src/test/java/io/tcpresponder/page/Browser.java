package io.tcpresponder.page;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.tcpresponder.support.Tools;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's chromium, headless, driven by its chromedriver, in one language; it keeps what the page logged and every
 * request it made.
 */
final class Browser implements AutoCloseable {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	/** Where the screenshots go, for a reader of the build and for README's picture. */
	static final Path SCREENSHOTS = Path.of("target", "lesson-page");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ChromeDriver driver;

	private final List<String> consoleErrors = new ArrayList<>();

	private final List<String> requests = new ArrayList<>();

	private final Map<String, String> urls = new java.util.HashMap<>();

	private long pageBytes;

	private long endpointBytes;

	/**
	 * @param language the browser's language, as its {@code Accept-Language} and {@code navigator.language}
	 */
	Browser(String language) {
		Tools.assumeInstalled(CHROMIUM, "chromium");
		Tools.assumeInstalled(CHROMEDRIVER, "chromium-driver");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1280,1600", "--lang=" + language, "--disable-background-networking",
				"--disable-component-update", "--no-first-run", "--no-default-browser-check");
		options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		logs.enable(LogType.PERFORMANCE, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	/**
	 * Loads a page afresh, and counts its bytes from zero.
	 */
	void open(String url) {
		readNetwork();
		this.pageBytes = 0;
		this.endpointBytes = 0;
		this.driver.get(url);
	}

	ChromeDriver driver() {
		return this.driver;
	}

	WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	List<WebElement> findAll(String css) {
		return this.driver.findElements(By.cssSelector(css));
	}

	/**
	 * The text of the first element that matches, folded (a closed {@code <details>} included), {@code null} while
	 * there is none: for waits on what the page shows.
	 */
	String textOf(String css) {
		String text = fresh(css, (element) -> element.getDomProperty("textContent"));
		return (text != null) ? text.strip().replaceAll("\\s+", " ") : null;
	}

	String attributeOf(String css, String attribute) {
		return fresh(css, (element) -> element.getDomAttribute(attribute));
	}

	/**
	 * Reads the first element that matches, found again where the page's script replaced it in between (it redraws
	 * its tables at each reading).
	 */
	private String fresh(String css, Function<WebElement, String> read) {
		while (true) {
			List<WebElement> found = findAll(css);
			if (found.isEmpty()) {
				return null;
			}
			try {
				return read.apply(found.getFirst());
			}
			catch (StaleElementReferenceException ex) {
				// replaced: find it again
			}
		}
	}

	/**
	 * Saves the whole page as the browser shows it now under {@link #SCREENSHOTS}.
	 * @param name the file's name, without {@code .png}
	 * @return the file
	 */
	Path screenshot(String name) {
		Dimension window = this.driver.manage().window().getSize();
		try {
			Files.createDirectories(SCREENSHOTS);
			long height = ((Number) this.driver.executeScript("return document.documentElement.scrollHeight"))
				.longValue();
			this.driver.manage().window().setSize(new Dimension(window.getWidth(), (int) height + 140));
			File shot = this.driver.getScreenshotAs(OutputType.FILE);
			Path target = SCREENSHOTS.resolve(name + ".png");
			Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			this.driver.manage().window().setSize(window);
		}
	}

	/**
	 * The violations of axe-core's rules on the page as it is now that harm a reader most (serious, critical).
	 */
	List<String> seriousAccessibilityViolations() {
		List<Rule> violations = new AxeBuilder().analyze(this.driver).getViolations();
		return violations.stream()
			.filter((rule) -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
			.map((rule) -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
					+ rule.getNodes().stream().map((node) -> String.valueOf(node.getTarget())).toList())
			.toList();
	}

	/**
	 * What the page logged as an error to its console so far (CSP violations, script errors, failed loads), but
	 * Chrome's own line for each HTTP error that the endpoint answered: those are answers the page shows, such as a
	 * restart's 401 or 409.
	 * @param endpoint the URL of the endpoint the page reads and posts to
	 */
	List<String> consoleErrors(String endpoint) {
		for (LogEntry entry : this.driver.manage().logs().get(LogType.BROWSER)) {
			String message = entry.getMessage();
			boolean answered = message.startsWith(endpoint)
					&& message.contains("Failed to load resource: the server responded with a status of 4");
			if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !answered) {
				this.consoleErrors.add(message);
			}
		}
		return List.copyOf(this.consoleErrors);
	}

	/**
	 * Every URL the page requested so far, in order.
	 */
	List<String> requests() {
		readNetwork();
		return List.copyOf(this.requests);
	}

	/**
	 * The bytes received since the page was opened, headers included, as Chrome's network panel counts them: the
	 * page with its scripts and styles, and what it read from the endpoint.
	 * @param endpoint the endpoint's URL
	 * @return the page's bytes and the endpoint's
	 */
	long[] bytesReceived(String endpoint) {
		readNetwork();
		return new long[] { this.pageBytes, this.endpointBytes };
	}

	private void readNetwork() {
		for (LogEntry entry : this.driver.manage().logs().get(LogType.PERFORMANCE)) {
			JsonNode message = json.readTree(entry.getMessage()).path("message");
			String method = message.path("method").asString("");
			JsonNode params = message.path("params");
			if ("Network.requestWillBeSent".equals(method)) {
				String url = params.path("request").path("url").asString();
				this.requests.add(url);
				this.urls.put(params.path("requestId").asString(), url);
			}
			else if ("Network.loadingFinished".equals(method)) {
				String url = this.urls.getOrDefault(params.path("requestId").asString(), "");
				long bytes = params.path("encodedDataLength").asLong();
				if (url.contains("/actuator/")) {
					this.endpointBytes += bytes;
				}
				else {
					this.pageBytes += bytes;
				}
			}
		}
	}

	/**
	 * Whether a URL goes to the given origin, or to none ({@code data:} and the like, which fetch nothing).
	 */
	static boolean sameOriginOrNone(String url, URI origin) {
		URI uri = URI.create(url);
		if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
			return true;
		}
		return uri.getScheme().equals(origin.getScheme()) && uri.getHost().equals(origin.getHost())
				&& uri.getPort() == origin.getPort();
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
