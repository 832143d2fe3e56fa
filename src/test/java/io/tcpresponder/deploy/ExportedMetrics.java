package io.tcpresponder.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpresponder.support.Clients;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metric names a running service exports on /actuator/prometheus, and the responder_* names an expression uses.
 */
final class ExportedMetrics {

	private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (\\S+) ");

	private static final Pattern RESPONDER_METRIC = Pattern.compile("\\bresponder_[a-z_]+\\b");

	private static final Duration SCRAPE_BOUND = Duration.ofMinutes(2);

	private static final JsonMapper json = JsonMapper.builder().build();

	private ExportedMetrics() {
	}

	/**
	 * The names of the metrics the service exports, after one client has been served (so that every meter has
	 * counted something).
	 * @param httpPort the service's HTTP port
	 * @return the names, as their TYPE lines give them
	 */
	static Set<String> of(int httpPort) {
		int port = json.readTree(get(httpPort, "/actuator/responder")).get("port").asInt();
		if (Clients.fetch(port).isEmpty()) {
			throw new IllegalStateException("the responder sent nothing");
		}
		return scraped(httpPort);
	}

	/**
	 * The names of the metrics the service exports now.
	 * @param httpPort the service's HTTP port
	 * @return the names, as their TYPE lines give them
	 */
	static Set<String> scraped(int httpPort) {
		Set<String> exported = new HashSet<>();
		Matcher type = TYPE_LINE.matcher(get(httpPort, "/actuator/prometheus"));
		while (type.find()) {
			exported.add(type.group(1));
		}
		return exported;
	}

	/**
	 * A GET of the actuator. Both endpoints read this host's TCP tables, which other programs may make large (over
	 * 100,000 TIME_WAIT sockets) and slow to read on a busy machine: the bound is generous.
	 */
	private static String get(int httpPort, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
			.timeout(SCRAPE_BOUND)
			.build();
		try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The responder_* metric names in a PromQL expression.
	 * @param expression the expression
	 * @return the names
	 */
	static Set<String> usedBy(String expression) {
		Set<String> used = new HashSet<>();
		Matcher matcher = RESPONDER_METRIC.matcher(expression);
		while (matcher.find()) {
			used.add(matcher.group());
		}
		return used;
	}

}
