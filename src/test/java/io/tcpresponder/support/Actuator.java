package io.tcpresponder.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	public HttpResponse<String> head(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).HEAD());
	}

	public HttpResponse<String> post(String path, String body) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * Sends the head of a POST and only the start of its body, then reads the answer. A server that waited for the rest
	 * of the body would not answer before the read times out: an answer shows that the body was refused unread.
	 * @param path the path, sent as given
	 * @param framing the header that announces the body: {@code Content-Length: n} or
	 * {@code Transfer-Encoding: chunked}
	 * @param bodyStart the bytes of the body that are sent, framed as the header says
	 * @return the answer as received, head and body
	 */
	public String postIncomplete(String path, String framing, byte[] bodyStart) {
		URI uri = URI.create(this.base);
		try (Socket socket = Clients.connect(uri.getPort())) {
			String head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getAuthority()
					+ "\r\nContent-Type: application/json\r\n" + framing + "\r\n"
					+ ((this.authorization != null) ? "Authorization: " + this.authorization + "\r\n" : "") + "\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.write(bodyStart);
			out.flush();
			InputStream in = socket.getInputStream();
			String answer = readUntil(in, "\r\n\r\n");
			Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(answer);
			return answer + (length.find()
					? new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8)
					: readUntil(in, "\r\n0\r\n\r\n"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String readUntil(InputStream in, String end) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		for (int b; !read.toString(StandardCharsets.UTF_8).endsWith(end) && (b = in.read()) != -1;) {
			read.write(b);
		}
		return read.toString(StandardCharsets.UTF_8);
	}

	public JsonNode responder() {
		return responder("/actuator/responder");
	}

	/**
	 * The responder's state, where a base path or a path mapping moved the endpoint.
	 * @param path the endpoint's path
	 * @return the state
	 */
	public JsonNode responder(String path) {
		HttpResponse<String> response = get(path);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
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
			return this.client.send(request.timeout(Duration.ofSeconds(30)).build(),
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
