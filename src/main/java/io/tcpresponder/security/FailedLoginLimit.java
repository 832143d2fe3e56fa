package io.tcpresponder.security;

import java.time.Duration;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks credentials only while their client address has failed fewer than the limit of checks this period: each check
 * costs a password hash (bcrypt, slow by design), so an address that guesses, or floods forged credentials, gets
 * {@link Exceeded} instead of more of the server's CPU.
 */
final class FailedLoginLimit implements AuthenticationManager {

	private final AuthenticationManager delegate;

	private final FailedLogins failedLogins;

	FailedLoginLimit(AuthenticationManager delegate, FailedLogins failedLogins) {
		this.delegate = delegate;
		this.failedLogins = failedLogins;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String address = (authentication.getDetails() instanceof WebAuthenticationDetails details)
				? details.getRemoteAddress() : "";
		if (!this.failedLogins.tryCheck(address)) {
			throw new Exceeded(this.failedLogins.period());
		}
		Authentication result = this.delegate.authenticate(authentication);
		this.failedLogins.succeeded(address);
		return result;
	}

	/**
	 * The client's address has used up its failed credential checks for this period.
	 */
	static final class Exceeded extends AuthenticationException {

		private final Duration retryAfter;

		Exceeded(Duration retryAfter) {
			super("Too many failed logins from this address: try again later");
			this.retryAfter = retryAfter;
		}

		Duration retryAfter() {
			return this.retryAfter;
		}

	}

}
