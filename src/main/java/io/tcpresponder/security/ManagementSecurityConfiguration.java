package io.tcpresponder.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.authentication.configuration.AuthenticationConfiguration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Two filter chains. The open one serves health (statuses only; Kubernetes probes carry no credentials) and, unless
 * {@code responder.security.anonymous-reads} is off, every read (GET and HEAD); it has no HTTP Basic, so credentials
 * sent there are never checked: a check costs a password hash, which a caller without credentials must not be able
 * to make the server compute. The other chain serves everything else, the responder's restart and the health details
 * first, to operators only, with a limit on failed checks per client address. The API is stateless, for scripts and
 * curl, not for browsers with sessions, so there is no session and no CSRF token to send. The lesson page and its
 * scripts and styles are open too: they hold no figure, and read the endpoint as anyone else does. Every answer
 * carries a Content-Security-Policy that lets a page run only the service's own scripts and styles and talk to the
 * service alone.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ManagementSecurityProperties.class)
class ManagementSecurityConfiguration {

	/** The health group that shows every component with its details (see application.yml): operators only. */
	static final String HEALTH_DETAILS_GROUP = "details";

	/** The lesson page at the management server's root, and its scripts and styles. */
	private static final String[] PAGE = { "/", "/lesson/**" };

	/**
	 * Nothing from another host, no inline script or style, no plugin, no frame, no form posted by the browser (the
	 * page's script posts its form as JSON); {@code data:} images for the page's empty icon.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	@Bean
	@Order(1)
	SecurityFilterChain openManagement(HttpSecurity http, ManagementSecurityProperties properties) throws Exception {
		http.securityMatcher(openRequests(properties));
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return stateless(http).build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain operatorManagement(HttpSecurity http, SecurityProperties security,
			AuthenticationConfiguration authentication, FailedLogins failedLogins) throws Exception {
		CredentialsRequiredEntryPoint entryPoint = new CredentialsRequiredEntryPoint(Operators.configured(security));
		http.authenticationManager(new FailedLoginLimit(authentication.getAuthenticationManager(), failedLogins));
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
		http.httpBasic((basic) -> basic.realmName(CredentialsRequiredEntryPoint.REALM)
			.authenticationEntryPoint(new FailedLoginLimitEntryPoint(entryPoint)));
		http.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint));
		return stateless(http).build();
	}

	/**
	 * Actuator's own matchers, which follow the endpoints' mapped paths and a separate management port. Links (the
	 * actuator's root) are part of any endpoint.
	 */
	private static RequestMatcher openRequests(ManagementSecurityProperties properties) {
		List<RequestMatcher> open = new ArrayList<>();
		open.add(EndpointRequest.to(HealthEndpoint.class));
		open.add(PathPatternRequestMatcher.withDefaults().matcher("/error"));
		for (String page : PAGE) {
			open.add(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, page));
			open.add(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.HEAD, page));
		}
		if (properties.anonymousReads()) {
			RequestMatcher reads = EndpointRequest.toAnyEndpoint().withHttpMethod(HttpMethod.GET);
			open.add(reads);
			open.add(new HeadFollowsGet(reads));
		}
		return new AndRequestMatcher(new OrRequestMatcher(open),
				new NegatedRequestMatcher(new HealthGroupRequest(HEALTH_DETAILS_GROUP)));
	}

	private static HttpSecurity stateless(HttpSecurity http) throws Exception {
		return http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.headers((headers) -> headers.contentSecurityPolicy((policy) -> policy.policyDirectives(CONTENT_SECURITY_POLICY)));
	}

	@Bean
	PasswordEncoder operatorPasswordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	InMemoryUserDetailsManager operators(SecurityProperties security, PasswordEncoder operatorPasswordEncoder) {
		return Operators.of(security, operatorPasswordEncoder);
	}

	@Bean
	FailedLogins failedLogins(ManagementSecurityProperties properties) {
		return new FailedLogins(properties.failedLogins());
	}

}
