package io.tcpresponder.security;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request without valid credentials with 401, a Basic challenge, and a problem (RFC 9457, as every error of
 * this service) whose detail says what is needed, or that write operations are off because no credentials are
 * configured. Spring's JSON converter writes it, with the request's path as its {@code instance}, as Spring MVC writes
 * the other problems.
 */
class CredentialsRequiredEntryPoint implements AuthenticationEntryPoint {

	static final String REALM = "tcp-responder";

	private static final JacksonJsonHttpMessageConverter json = new JacksonJsonHttpMessageConverter();

	private final String detail;

	CredentialsRequiredEntryPoint(boolean operatorsConfigured) {
		this.detail = operatorsConfigured ? "This operation needs an operator's credentials (HTTP Basic)"
				: "This operation is refused: no credentials are configured "
						+ "(set spring.security.user.name and spring.security.user.password)";
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		ServletServerHttpResponse output = new ServletServerHttpResponse(response);
		output.setStatusCode(HttpStatus.UNAUTHORIZED);
		output.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, this.detail);
		problem.setInstance(URI.create(request.getRequestURI()));
		json.write(problem, MediaType.APPLICATION_PROBLEM_JSON, output);
	}

}
