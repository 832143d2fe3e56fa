package io.tcpresponder.security;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers 429 with {@code Retry-After} and a problem ({@link Problems}) when {@link FailedLoginLimit} refused to check credentials; every other
 * authentication failure goes to the entry point that asks for credentials.
 */
final class FailedLoginLimitEntryPoint implements AuthenticationEntryPoint {

	private final AuthenticationEntryPoint credentialsRequired;

	FailedLoginLimitEntryPoint(AuthenticationEntryPoint credentialsRequired) {
		this.credentialsRequired = credentialsRequired;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		if (!(exception instanceof FailedLoginLimit.Exceeded exceeded)) {
			this.credentialsRequired.commence(request, response, exception);
			return;
		}
		Problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, exceeded.getMessage(),
				(headers) -> headers.set(HttpHeaders.RETRY_AFTER, Long.toString(exceeded.retryAfter().toSeconds())));
	}

}
