package io.tcpresponder.security;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.RequestMatcherProvider;
import org.springframework.boot.security.web.servlet.ApplicationContextRequestMatcher;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.WebApplicationContext;

/**
 * Requests to one group of the health endpoint and everything beneath it, located as Actuator's
 * {@code EndpointRequest} locates endpoints (which has no matcher for a group): under the health endpoint's mapped
 * path, on the server that serves the actuator, the management port included.
 */
final class HealthGroupRequest extends ApplicationContextRequestMatcher<WebApplicationContext> {

	private final String group;

	private volatile RequestMatcher delegate = (request) -> false;

	HealthGroupRequest(String group) {
		super(WebApplicationContext.class);
		this.group = group;
	}

	@Override
	protected boolean ignoreApplicationContext(WebApplicationContext context) {
		return ManagementPortType.get(context.getEnvironment()) == ManagementPortType.DIFFERENT
				&& !hasServerNamespace(context, WebServerNamespace.MANAGEMENT.getValue());
	}

	@Override
	protected void initialized(Supplier<WebApplicationContext> context) {
		String health = context.get().getBean(PathMappedEndpoints.class).getPath(EndpointId.of("health"));
		if (health != null) {
			RequestMatcherProvider matchers = context.get()
				.getBeanProvider(RequestMatcherProvider.class)
				.getIfAvailable(() -> (pattern, method) -> PathPatternRequestMatcher.withDefaults()
					.matcher(method, pattern));
			this.delegate = matchers.getRequestMatcher(health + "/" + this.group + "/**", null);
		}
	}

	@Override
	protected boolean matches(HttpServletRequest request, Supplier<WebApplicationContext> context) {
		return this.delegate.matches(request);
	}

	@Override
	public String toString() {
		return "HealthGroupRequest " + this.group;
	}

}
