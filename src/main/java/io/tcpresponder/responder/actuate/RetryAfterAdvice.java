package io.tcpresponder.responder.actuate;

import java.time.Instant;

import io.tcpresponder.kernel.bind.BindVerdict;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Adds {@code Retry-After}, in whole seconds rounded up, to a restart's 409 whose problem says when the kernel frees
 * the port ({@code freeAt}): an Actuator operation's response has a body, a status and a content type, and no other
 * header. It acts on the problem the restart made, whatever path or port it was served on.
 */
@ControllerAdvice
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class RetryAfterAdvice implements ResponseBodyAdvice<Object> {

	/** The problem's member that says when the port is free. */
	static final String FREE_AT = "freeAt";

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem && problem.getStatus() == HttpStatus.CONFLICT.value()
				&& problem.getProperties() != null
				&& problem.getProperties().get(FREE_AT) instanceof Instant freeAt) {
			response.getHeaders()
				.set(HttpHeaders.RETRY_AFTER, Long.toString(BindVerdict.secondsUntil(freeAt, Instant.now())));
		}
		return body;
	}

}
