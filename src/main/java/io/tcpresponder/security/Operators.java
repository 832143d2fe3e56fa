package io.tcpresponder.security;

import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The operators who may use write operations: the user of {@code spring.security.user.*}, if a password is
 * configured. Spring Boot would otherwise generate a password and log it; here no password means no operator, so
 * that a password from a log line can never restart the responder.
 */
final class Operators {

	static final String PASSWORD_PROPERTY = "spring.security.user.password";

	private static final Log logger = LogFactory.getLog(Operators.class);

	/** A password that already names its encoding, such as {@code {bcrypt}...}. */
	private static final Pattern ENCODED = Pattern.compile("^\\{.+}.*$");

	private Operators() {
	}

	static boolean configured(SecurityProperties security) {
		return !security.getUser().isPasswordGenerated();
	}

	static InMemoryUserDetailsManager of(SecurityProperties security, PasswordEncoder encoder) {
		if (!configured(security)) {
			logger.info("No credentials configured (" + PASSWORD_PROPERTY + "): actuator write operations, "
					+ "such as the responder's restart, are refused");
			return new InMemoryUserDetailsManager();
		}
		SecurityProperties.User user = security.getUser();
		String password = ENCODED.matcher(user.getPassword()).matches() ? user.getPassword()
				: "{noop}" + user.getPassword();
		requireCheckable(password, encoder);
		return new InMemoryUserDetailsManager(User.withUsername(user.getName())
			.password(password)
			.roles(user.getRoles().toArray(String[]::new))
			.build());
	}

	/**
	 * Fails the start unless credentials can be checked against the password: otherwise every request with
	 * credentials would fail with a stack trace in the log, which anyone could trigger.
	 */
	private static void requireCheckable(String password, PasswordEncoder encoder) {
		try {
			// The encoder for bcrypt, Spring Security's default, refuses a malformed hash here; matching would only
			// log a warning on every request.
			encoder.upgradeEncoding(password);
		}
		catch (IllegalArgumentException ex) {
			throw new UnusablePasswordException("{bcrypt} must be followed by a BCrypt hash: $2a$, $2b$ or $2y$, "
					+ "a two-digit cost, $ and 53 characters of salt and hash");
		}
		try {
			encoder.matches("a password to check against", password);
		}
		catch (RuntimeException ex) {
			throw new UnusablePasswordException(String.valueOf(ex.getMessage()), ex);
		}
		catch (LinkageError ex) {
			throw new UnusablePasswordException("its encoding needs a class that is missing: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The configured password cannot be checked against: its {@code {id}} names no known encoding, or what follows is
	 * not what that encoding produces.
	 */
	static final class UnusablePasswordException extends IllegalStateException {

		private final String reason;

		UnusablePasswordException(String reason) {
			this(reason, null);
		}

		UnusablePasswordException(String reason, Throwable cause) {
			super(PASSWORD_PROPERTY + " cannot be used: " + reason, cause);
			this.reason = reason;
		}

		String reason() {
			return this.reason;
		}

	}

}
