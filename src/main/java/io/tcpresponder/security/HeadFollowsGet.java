package io.tcpresponder.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Matches a HEAD request wherever the GET with the same URL matches: HEAD is GET without the body, so it is open
 * wherever GET is (Actuator's own matcher for the links, for one, knows GET only).
 */
final class HeadFollowsGet implements RequestMatcher {

	private final RequestMatcher get;

	HeadFollowsGet(RequestMatcher get) {
		this.get = get;
	}

	@Override
	public boolean matches(HttpServletRequest request) {
		return HttpMethod.HEAD.matches(request.getMethod()) && this.get.matches(new HttpServletRequestWrapper(request) {

			@Override
			public String getMethod() {
				return HttpMethod.GET.name();
			}

		});
	}

	@Override
	public String toString() {
		return "HeadFollowsGet " + this.get;
	}

}
