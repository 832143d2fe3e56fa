package io.tcpresponder.responder.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The body of every restart that does not succeed: an RFC 9457 problem ({@code application/problem+json}) with
 * {@code type}, {@code title}, {@code status} and {@code detail}, and a {@code field} member naming the field or query
 * parameter at fault, absent when the request as a whole is.
 */
final class RestartProblem {

	static final String FIELD = "field";

	private RestartProblem() {
	}

	static ProblemDetail of(HttpStatus status, @Nullable String field, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		if (field != null) {
			problem.setProperty(FIELD, field);
		}
		return problem;
	}

	static WebEndpointResponse<Object> response(ProblemDetail problem) {
		return new WebEndpointResponse<>(problem, problem.getStatus(), MediaType.APPLICATION_PROBLEM_JSON);
	}

}
