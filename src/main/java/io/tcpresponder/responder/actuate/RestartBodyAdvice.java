package io.tcpresponder.responder.actuate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.web.EndpointMapping;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Guards the restart where Actuator reads its body: query parameters are refused, a body longer than
 * {@link RestartBody#MAX_BYTES} is refused without reading past that, and the body is handed over whole, as the one
 * field {@link RestartBody#FIELD} that the restart operation takes, for {@link RestartBody} to read strictly. A
 * refusal answers 400 with a {@link RestartProblem}, before anything changes. Where this advice did not run, the
 * operation misses its field and Actuator refuses the request.
 *
 * <p>
 * Why here: Actuator reads a write operation's body as a map of strings and merges the query parameters over it, so
 * the operation itself never sees the body, its JSON types or where a value came from. A filter in front of the
 * dispatcher would have to guess from the raw URI which requests Spring routes to the operation (percent-encoding,
 * base path, path mappings) and is not applied on a separate management port at all. This advice runs inside the
 * routing Spring has done, in every context that serves the actuator: it acts on the request whose matched pattern is
 * the restart operation's own, however the path was written.
 */
@ControllerAdvice
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class RestartBodyAdvice extends RequestBodyAdviceAdapter {

	private static final EndpointId RESPONDER = EndpointId.of(ResponderEndpoint.ID);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final PathMappedEndpoints endpoints;

	RestartBodyAdvice(PathMappedEndpoints endpoints) {
		this.endpoints = endpoints;
	}

	@Override
	public boolean supports(MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		HttpServletRequest request = currentRequest();
		return request != null && isRestart(request);
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
		refuseQueryParameters();
		if (message.getHeaders().getContentLength() > RestartBody.MAX_BYTES) {
			throw tooLong();
		}
		byte[] body = message.getBody().readNBytes(RestartBody.MAX_BYTES + 1);
		if (body.length > RestartBody.MAX_BYTES) {
			throw tooLong();
		}
		byte[] whole = json.writeValueAsBytes(Map.of(RestartBody.FIELD, new String(body, StandardCharsets.UTF_8)));
		HttpHeaders headers = HttpHeaders.copyOf(message.getHeaders());
		headers.setContentLength(whole.length);
		return new WholeBody(headers, whole);
	}

	@Override
	public @Nullable Object handleEmptyBody(@Nullable Object body, HttpInputMessage message, MethodParameter parameter,
			Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
		refuseQueryParameters();
		return Map.of(RestartBody.FIELD, "");
	}

	@ExceptionHandler
	ProblemDetail refused(RestartRefusedException ex) {
		return ex.getBody();
	}

	/**
	 * Whether Spring routed the request to the restart operation: whether the pattern it matched is the one Actuator
	 * registered for the responder's write operation, from the same base path and path mapping.
	 */
	private boolean isRestart(HttpServletRequest request) {
		Object matched = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		if (matched == null
				|| !(this.endpoints.getEndpoint(RESPONDER) instanceof ExposableWebEndpoint responder)) {
			return false;
		}
		EndpointMapping mapping = new EndpointMapping(this.endpoints.getBasePath());
		return responder.getOperations()
			.stream()
			.filter((operation) -> operation.getType() == OperationType.WRITE)
			.anyMatch((operation) -> mapping.createSubPath(operation.getRequestPredicate().getPath())
				.equals(matched.toString()));
	}

	/**
	 * Refuses a restart with a query parameter: Actuator would take it as a field, over the body's.
	 */
	private static void refuseQueryParameters() {
		HttpServletRequest request = currentRequest();
		Enumeration<String> names = (request != null) ? request.getParameterNames() : null;
		if (names != null && names.hasMoreElements()) {
			String name = names.nextElement();
			throw new RestartRefusedException(name, "query parameter \"" + name
					+ "\" is not taken: a restart takes its fields from the JSON body only");
		}
	}

	private static RestartRefusedException tooLong() {
		return new RestartRefusedException(null,
				"The body is longer than " + RestartBody.MAX_BYTES + " bytes");
	}

	private static @Nullable HttpServletRequest currentRequest() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest() : null;
	}

	/**
	 * The body, read here, for Actuator to read again as the one field of an object.
	 */
	private record WholeBody(HttpHeaders headers, byte[] bytes) implements HttpInputMessage {

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public InputStream getBody() {
			return new ByteArrayInputStream(this.bytes);
		}

	}

}
