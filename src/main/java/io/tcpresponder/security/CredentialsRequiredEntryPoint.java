package io.tcpresponder.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request without valid credentials with 401, a Basic challenge, and a problem ({@link Problems}) whose detail says
 * what is needed, or that write operations are off because no credentials are configured.
 */
class CredentialsRequiredEntryPoint implements AuthenticationEntryPoint {

	static final String REALM = "tcp-responder";

	private final String detail;

	CredentialsRequiredEntryPoint(boolean operatorsConfigured) {
		this.detail = operatorsConfigured ? "This operation needs an operator's credentials (HTTP Basic)"
				: "This operation is refused: no credentials are configured "
						+ "(set spring.security.user.name and spring.security.user.password)";
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		Problems.write(request, response, HttpStatus.UNAUTHORIZED, this.detail,
				(headers) -> headers.set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\""));
	}

}
