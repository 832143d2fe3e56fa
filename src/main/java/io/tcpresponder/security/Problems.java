package io.tcpresponder.security;

import java.io.IOException;
import java.net.URI;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;

/**
 * Writes the security filters' refusals as problems (RFC 9457), the shape of every error of this service, with
 * Spring's JSON converter and the request's path as the {@code instance}, as Spring MVC writes the other problems.
 */
final class Problems {

	private static final JacksonJsonHttpMessageConverter json = new JacksonJsonHttpMessageConverter();

	private Problems() {
	}

	static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail,
			Consumer<HttpHeaders> headers) throws IOException {
		ServletServerHttpResponse output = new ServletServerHttpResponse(response);
		output.setStatusCode(status);
		headers.accept(output.getHeaders());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setInstance(URI.create(request.getRequestURI()));
		json.write(problem, MediaType.APPLICATION_PROBLEM_JSON, output);
	}

}
