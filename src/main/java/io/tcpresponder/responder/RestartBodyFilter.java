package io.tcpresponder.responder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks the shape of a restart body before Actuator reads it: Actuator binds the fields it knows and drops the rest,
 * hands every value over as text (so that {@code "32"} would pass for {@code 32}), and answers a malformed document
 * with an empty 400. Here a body that is not a JSON object, an unknown field, or a field whose JSON type is not its
 * own is refused with 400 and a message naming the problem, and nothing changes. The ranges of the values are checked
 * by {@link RestartRequest}.
 */
class RestartBodyFilter extends OncePerRequestFilter {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Far more than any restart body needs; a longer one is refused unread. */
	static final int MAX_BODY_BYTES = 4096;

	private final String restartPath;

	RestartBodyFilter(String actuatorBasePath) {
		this.restartPath = actuatorBasePath + "/responder/" + ResponderEndpoint.RESTART;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod())
				|| !request.getRequestURI().equals(request.getContextPath() + this.restartPath);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
		Map<String, String> problem = (body.length > MAX_BODY_BYTES)
				? error(null, "The body is longer than " + MAX_BODY_BYTES + " bytes")
				: (body.length > 0) ? problem(body) : null;
		if (problem != null) {
			reject(response, problem);
			return;
		}
		chain.doFilter(new ReplayedBody(request, body), response);
	}

	/**
	 * What is wrong with the body, if anything.
	 * @return the field and message of the problem, or {@code null}
	 */
	private static Map<String, String> problem(byte[] body) {
		JsonNode document;
		try {
			document = json.readTree(body);
		}
		catch (JacksonException ex) {
			return error(null, "The body is not a JSON document: " + ex.getOriginalMessage());
		}
		if (document == null || document.isMissingNode() || document.isNull()) {
			return null;
		}
		if (!document.isObject()) {
			return error(null, "The body must be a JSON object such as {\"reuseAddress\": false}");
		}
		for (Iterator<Map.Entry<String, JsonNode>> fields = document.properties().iterator(); fields.hasNext();) {
			Map.Entry<String, JsonNode> field = fields.next();
			if (!RestartRequest.FIELDS.contains(field.getKey())) {
				return error(field.getKey(),
						"unknown field \"" + field.getKey() + "\"; a restart takes " + String.join(", ", RestartRequest.FIELDS));
			}
			if (field.getValue().isContainer()) {
				return error(field.getKey(), field.getKey() + " must be a single value, got " + field.getValue());
			}
			String expected = RestartRequest.JSON_TYPES.get(field.getKey());
			if (!expected.equals(jsonType(field.getValue()))) {
				return error(field.getKey(), field.getKey() + " must be a JSON " + expected + ", got " + field.getValue());
			}
		}
		return null;
	}

	private static String jsonType(JsonNode value) {
		if (value.isIntegralNumber()) {
			return "integer";
		}
		return value.isBoolean() ? "boolean" : value.isString() ? "string" : value.getNodeType().name().toLowerCase(Locale.ROOT);
	}

	private static Map<String, String> error(String field, String message) {
		Map<String, String> error = new LinkedHashMap<>();
		error.put("field", field);
		error.put("message", message);
		return error;
	}

	private static void reject(HttpServletResponse response, Map<String, String> problem) throws IOException {
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		json.writeValue(response.getOutputStream(), problem);
	}

	/**
	 * The request with its body, already read here, read again by Actuator.
	 */
	private static final class ReplayedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		ReplayedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body is already read");
				}

			};
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

	}

}
