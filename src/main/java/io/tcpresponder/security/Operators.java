package io.tcpresponder.security;

import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The operators who may use write operations: the user of {@code spring.security.user.*}, if a password is
 * configured. Spring Boot would otherwise generate a password and log it; here no password means no operator, so
 * that a password from a log line can never restart the responder.
 */
final class Operators {

	private static final Log logger = LogFactory.getLog(Operators.class);

	/** A password that already names its encoding, such as {@code {bcrypt}...}. */
	private static final Pattern ENCODED = Pattern.compile("^\\{.+}.*$");

	private Operators() {
	}

	static boolean configured(SecurityProperties security) {
		return !security.getUser().isPasswordGenerated();
	}

	static InMemoryUserDetailsManager of(SecurityProperties security) {
		if (!configured(security)) {
			logger.info("No credentials configured (spring.security.user.password): actuator write operations, "
					+ "such as the responder's restart, are refused");
			return new InMemoryUserDetailsManager();
		}
		SecurityProperties.User user = security.getUser();
		String password = ENCODED.matcher(user.getPassword()).matches() ? user.getPassword()
				: "{noop}" + user.getPassword();
		return new InMemoryUserDetailsManager(User.withUsername(user.getName())
			.password(password)
			.roles(user.getRoles().toArray(String[]::new))
			.build());
	}

}
