package io.tcpresponder.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers 429 with {@code Retry-After} when {@link FailedLoginLimit} refused to check credentials; every other
 * authentication failure goes to the entry point that asks for credentials.
 */
final class FailedLoginLimitEntryPoint implements AuthenticationEntryPoint {

	private final AuthenticationEntryPoint credentialsRequired;

	private final JsonMapper json;

	FailedLoginLimitEntryPoint(AuthenticationEntryPoint credentialsRequired, JsonMapper json) {
		this.credentialsRequired = credentialsRequired;
		this.json = json;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		if (!(exception instanceof FailedLoginLimit.Exceeded exceeded)) {
			this.credentialsRequired.commence(request, response, exception);
			return;
		}
		HttpStatus status = HttpStatus.TOO_MANY_REQUESTS;
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status.value());
		body.put("error", status.getReasonPhrase());
		body.put("message", exceeded.getMessage());
		body.put("path", request.getRequestURI());
		response.setStatus(status.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(exceeded.retryAfter().toSeconds()));
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		this.json.writeValue(response.getWriter(), body);
	}

}
