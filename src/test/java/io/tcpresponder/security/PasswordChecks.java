package io.tcpresponder.security;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Counts the passwords the application's real {@link PasswordEncoder} checks, each of which costs a hash: imported
 * into a test's context, it wraps the encoder bean and passes every call on.
 */
class PasswordChecks implements BeanPostProcessor {

	private final AtomicInteger checks = new AtomicInteger();

	int count() {
		return this.checks.get();
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		return (bean instanceof PasswordEncoder encoder) ? new Counting(encoder) : bean;
	}

	private final class Counting implements PasswordEncoder {

		private final PasswordEncoder encoder;

		Counting(PasswordEncoder encoder) {
			this.encoder = encoder;
		}

		@Override
		public String encode(CharSequence rawPassword) {
			return this.encoder.encode(rawPassword);
		}

		@Override
		public boolean matches(CharSequence rawPassword, String encodedPassword) {
			PasswordChecks.this.checks.incrementAndGet();
			return this.encoder.matches(rawPassword, encodedPassword);
		}

		@Override
		public boolean upgradeEncoding(String encodedPassword) {
			return this.encoder.upgradeEncoding(encodedPassword);
		}

	}

}
