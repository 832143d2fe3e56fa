package io.tcpresponder.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an operator password that credentials cannot be checked against, without printing the password.
 */
class UnusablePasswordFailureAnalyzer extends AbstractFailureAnalyzer<Operators.UnusablePasswordException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, Operators.UnusablePasswordException cause) {
		return new FailureAnalysis(
				"The operator's password (" + Operators.PASSWORD_PROPERTY + ") cannot be used: " + cause.reason(),
				"Set " + Operators.PASSWORD_PROPERTY + " (SPRING_SECURITY_USER_PASSWORD) to a plain password, or to "
						+ "a Spring Security encoded one that starts with the id of its encoding, such as "
						+ "{bcrypt}$2a$10$...; a plain password that itself starts with {...} is written {noop}{...}...",
				cause);
	}

}
