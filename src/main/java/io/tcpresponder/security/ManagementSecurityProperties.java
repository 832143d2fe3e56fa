package io.tcpresponder.security;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may use the actuator. Write operations (the responder's restart) always need the credentials of
 * {@code spring.security.user.name} and {@code spring.security.user.password}; with none configured they are
 * refused.
 *
 * @param anonymousReads whether read operations (GET and HEAD of responder, metrics, prometheus, info) are open to
 * anonymous callers; health and its probe groups are always open, with statuses only.
 * @param failedLogins how many failed credential checks one client address may cause.
 */
@ConfigurationProperties("responder.security")
@Validated
record ManagementSecurityProperties(@DefaultValue("true") boolean anonymousReads,
		@DefaultValue @Valid FailedLogins failedLogins) {

	/**
	 * A limit on failed credential checks per client address: past it, requests with credentials from that address
	 * get 429 without being checked until the period that began with the address's first failure has passed.
	 *
	 * @param limit failed credential checks an address may cause within one period.
	 * @param period how long an address's failures are remembered, counted from its first failure.
	 */
	record FailedLogins(@DefaultValue("10") @Min(1) int limit,
			@DefaultValue("1m") @DurationMin(seconds = 1) Duration period) {
	}

}
