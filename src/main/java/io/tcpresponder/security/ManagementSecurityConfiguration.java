package io.tcpresponder.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Health is open to all (Kubernetes probes carry no credentials); reads are open to anonymous callers unless
 * {@code responder.security.anonymous-reads} is off; everything else, the responder's restart first, needs an
 * operator's credentials by HTTP Basic. The API is stateless, for scripts and curl, not for browsers with sessions, so
 * there is no session and no CSRF token to send.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ManagementSecurityProperties.class)
class ManagementSecurityConfiguration {

	@Bean
	SecurityFilterChain managementSecurity(HttpSecurity http, ManagementSecurityProperties properties,
			SecurityProperties security) throws Exception {
		CredentialsRequiredEntryPoint entryPoint = new CredentialsRequiredEntryPoint(Operators.configured(security));
		http.authorizeHttpRequests((requests) -> {
			requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll();
			requests.requestMatchers("/error").permitAll();
			if (properties.anonymousReads()) {
				requests.requestMatchers(EndpointRequest.toAnyEndpoint().withHttpMethod(HttpMethod.GET)).permitAll();
				requests.requestMatchers(EndpointRequest.toLinks()).permitAll();
			}
			requests.anyRequest().authenticated();
		});
		http.httpBasic((basic) -> basic.realmName(CredentialsRequiredEntryPoint.REALM).authenticationEntryPoint(entryPoint));
		http.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint));
		http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		http.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager operators(SecurityProperties security) {
		return Operators.of(security);
	}

}
