package io.tcpresponder.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the actuator. Write operations (the responder's restart) always need the credentials of
 * {@code spring.security.user.name} and {@code spring.security.user.password}; with none configured they are
 * refused.
 *
 * @param anonymousReads whether read operations (GET of responder, metrics, prometheus, info) are open to anonymous
 * callers; health and its probe groups are always open.
 */
@ConfigurationProperties("responder.security")
record ManagementSecurityProperties(@DefaultValue("true") boolean anonymousReads) {
}
