package io.tcpresponder.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-address count of failed credential checks, on a clock the test moves.
 */
class FailedLoginsTests {

	private final AtomicLong nanos = new AtomicLong();

	private final FailedLogins failedLogins = new FailedLogins(3, Duration.ofMinutes(1), 100, this.nanos::get);

	@Test
	void anAddressGetsTheLimitOfChecksThenNone() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.failedLogins.tryCheck("192.0.2.1")).isTrue();
		}
		assertThat(this.failedLogins.tryCheck("192.0.2.1")).isFalse();
		assertThat(this.failedLogins.tryCheck("192.0.2.1")).isFalse();
		assertThat(this.failedLogins.tryCheck("192.0.2.2")).as("another address").isTrue();
	}

	@Test
	void aCheckThatSucceedsIsTakenBack() {
		for (int i = 0; i < 10; i++) {
			assertThat(this.failedLogins.tryCheck("192.0.2.1")).isTrue();
			this.failedLogins.succeeded("192.0.2.1");
		}
		for (int i = 0; i < 3; i++) {
			assertThat(this.failedLogins.tryCheck("192.0.2.1")).isTrue();
		}
		assertThat(this.failedLogins.tryCheck("192.0.2.1")).isFalse();
		this.failedLogins.succeeded("192.0.2.1");
		assertThat(this.failedLogins.tryCheck("192.0.2.1")).as("a success frees one check, no more").isTrue();
		assertThat(this.failedLogins.tryCheck("192.0.2.1")).isFalse();
	}

	@Test
	void failuresAreForgottenOnePeriodAfterTheFirst() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.failedLogins.tryCheck("192.0.2.1")).isTrue();
			this.nanos.addAndGet(Duration.ofSeconds(19).toNanos());
		}
		assertThat(this.failedLogins.tryCheck("192.0.2.1")).as("57 s after the first failure").isFalse();
		this.nanos.addAndGet(Duration.ofSeconds(4).toNanos());
		for (int i = 0; i < 3; i++) {
			assertThat(this.failedLogins.tryCheck("192.0.2.1")).as("61 s after the first failure").isTrue();
		}
		assertThat(this.failedLogins.tryCheck("192.0.2.1")).isFalse();
	}

	@Test
	void memoryIsBoundedWhateverTheNumberOfAddresses() {
		for (int i = 0; i < 100_000; i++) {
			this.failedLogins.tryCheck("2001:db8::" + Integer.toHexString(i));
		}
		assertThat(this.failedLogins.addresses()).isLessThanOrEqualTo(100);
	}

	@Test
	void concurrentChecksCannotPassTheLimitTogether() throws Exception {
		int threads = 16;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> checks = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				Callable<Boolean> check = () -> {
					start.await();
					return this.failedLogins.tryCheck("192.0.2.1");
				};
				checks.add(executor.submit(check));
			}
			start.countDown();
			int allowed = 0;
			for (Future<Boolean> check : checks) {
				allowed += check.get(30, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(allowed).isEqualTo(3);
		}
		finally {
			executor.shutdownNow();
		}
	}

}
