package io.tcpresponder.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's HTTP side as curl sees it.
 */
public final class Actuator {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final String base;

	private final String authorization;

	public Actuator(int port) {
		this("http://127.0.0.1:" + port, null);
	}

	private Actuator(String base, String authorization) {
		this.base = base;
		this.authorization = authorization;
	}

	/**
	 * The same service, called with HTTP Basic credentials.
	 * @param user the user name
	 * @param password the password
	 * @return a client that sends them
	 */
	public Actuator withBasicAuth(String user, String password) {
		String credentials = java.util.Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return new Actuator(this.base, "Basic " + credentials);
	}

	/**
	 * The same service, called with the operator's credentials of the running application.
	 * @param security the application's security properties
	 * @return a client that sends them
	 */
	public Actuator asOperator(org.springframework.boot.security.autoconfigure.SecurityProperties security) {
		return withBasicAuth(security.getUser().getName(), security.getUser().getPassword());
	}

	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
	}

	public HttpResponse<String> post(String path, String body) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	public JsonNode responder() {
		HttpResponse<String> response = get("/actuator/responder");
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET /actuator/responder answered " + response.statusCode());
		}
		return json(response);
	}

	public static JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		if (this.authorization != null) {
			request.header("Authorization", this.authorization);
		}
		try {
			// A bound on a hung request, not a speed claim: a first request to a cold service on a busy host that reads
			// a full TCP table may take tens of seconds.
			return this.client.send(request.timeout(Duration.ofMinutes(2)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
