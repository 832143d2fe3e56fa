package io.tcpresponder.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Credential checks per client address that did not succeed, each address's count kept for one period from its first
 * check. A check counts from the moment it starts, so that concurrent requests cannot pass the limit together; one that
 * succeeds is taken back. Memory is bounded: past {@link #MAX_ADDRESSES} addresses some are forgotten, so a caller
 * with very many addresses can escape the limit but cannot exhaust memory.
 */
final class FailedLogins {

	/** Each address takes a cache entry (address, counter, cache node): the bound keeps their memory small. */
	static final int MAX_ADDRESSES = 10_000;

	private final Cache<String, AtomicInteger> failures;

	private final int limit;

	private final Duration period;

	FailedLogins(ManagementSecurityProperties.FailedLogins properties) {
		this(properties.limit(), properties.period(), MAX_ADDRESSES, Ticker.systemTicker());
	}

	FailedLogins(int limit, Duration period, int maxAddresses, Ticker ticker) {
		this.limit = limit;
		this.period = period;
		// Expiry counts from the entry's creation: the counter is changed in place, which is no write to the cache.
		this.failures = Caffeine.newBuilder()
			.maximumSize(maxAddresses)
			.expireAfterWrite(period)
			.ticker(ticker)
			.executor(Runnable::run)
			.build();
	}

	/**
	 * Counts a credential check from the address, unless the address has used up its limit for this period.
	 * @param address the client's address
	 * @return whether the check may run
	 */
	boolean tryCheck(String address) {
		AtomicInteger count = this.failures.get(address, (key) -> new AtomicInteger());
		return count.getAndUpdate((n) -> Math.min(n + 1, this.limit)) < this.limit;
	}

	/**
	 * Takes back a check that succeeded.
	 * @param address the client's address
	 */
	void succeeded(String address) {
		AtomicInteger count = this.failures.getIfPresent(address);
		if (count != null) {
			count.updateAndGet((n) -> Math.max(n - 1, 0));
		}
	}

	/**
	 * How long an address waits at most once it has used up its limit.
	 * @return the period
	 */
	Duration period() {
		return this.period;
	}

	/**
	 * How many addresses are remembered now.
	 * @return the number of addresses
	 */
	long addresses() {
		this.failures.cleanUp();
		return this.failures.estimatedSize();
	}

}
