package io.tcpresponder.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request without valid credentials with 401, a Basic challenge, and a message that says what is needed,
 * or that write operations are off because no credentials are configured.
 */
class CredentialsRequiredEntryPoint implements AuthenticationEntryPoint {

	static final String REALM = "tcp-responder";

	private final String message;

	CredentialsRequiredEntryPoint(boolean operatorsConfigured) {
		this.message = operatorsConfigured ? "This operation needs an operator's credentials (HTTP Basic)"
				: "This operation is refused: no credentials are configured "
						+ "(set spring.security.user.name and spring.security.user.password)";
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter()
			.write("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"" + this.message + "\",\"path\":\""
					+ request.getRequestURI().replace("\"", "%22") + "\"}");
	}

}
