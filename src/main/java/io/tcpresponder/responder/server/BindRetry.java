package io.tcpresponder.responder.server;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import io.tcpresponder.transport.Errno;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@code responder.retry-bind}: binds the listeners refused with EADDRINUSE again by themselves, when the kernel
 * frees their address ({@code freeAt}, and a moment), or where no such time is known, after a backoff that doubles up
 * to a bound. One retry is pending at a time; scheduling another, or {@link #cancel()}, replaces it. Not thread-safe:
 * the responder calls it with its lifecycle held.
 */
final class BindRetry {

	private static final Log logger = LogFactory.getLog(BindRetry.class);

	/** After {@code freeAt}: the kernel's timer has run by then, with room for the JVM's and the kernel's clocks. */
	static final Duration AFTER_FREE = Duration.ofMillis(250);

	static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

	static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final boolean enabled;

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ScheduledFuture<?> pending;

	private volatile @Nullable Instant retryAt;

	private Duration backoff = FIRST_BACKOFF;

	/** Counts the retries scheduled, so that a retry cancelled while it waited for the lifecycle knows it. */
	private long generation;

	BindRetry(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * When the pending retry binds, if one is pending.
	 * @return the moment, or {@code null}
	 */
	@Nullable Instant retryAt() {
		return this.retryAt;
	}

	/**
	 * Schedules a retry if some listener is FAILED with EADDRINUSE, else forgets the backoff; replaces the pending
	 * retry either way.
	 * @param listeners the listeners' statuses after a bind
	 * @param retry what binds the failed listeners again, told the retry's generation for {@link #due(long)}
	 */
	void afterBind(List<ListenerStatus> listeners, LongConsumer retry) {
		cancel();
		List<ListenerStatus> inUse = listeners.stream()
			.filter((listener) -> listener.failed() && listener.lastError() != null
					&& listener.lastError().is(Errno.EADDRINUSE))
			.toList();
		if (!this.enabled || inUse.isEmpty()) {
			this.backoff = FIRST_BACKOFF;
			return;
		}
		Instant now = Instant.now();
		List<@Nullable Instant> freeAt = inUse.stream()
			.map(ListenerStatus::verdict)
			.map((verdict) -> (verdict != null) ? verdict.freeAt() : null)
			.toList();
		Instant at;
		String why;
		if (freeAt.stream().allMatch(Objects::nonNull)) {
			at = freeAt.stream().map(Objects::requireNonNull).max(Instant::compareTo).orElseThrow().plus(AFTER_FREE);
			why = "when the kernel frees the port";
			this.backoff = FIRST_BACKOFF;
		}
		else {
			at = now.plus(this.backoff);
			why = "after " + this.backoff.toSeconds() + " s, since the port has no known time to free";
			this.backoff = min(this.backoff.multipliedBy(2), MAX_BACKOFF);
		}
		long delay = Math.max(0, Duration.between(now, at).toNanos());
		long generation = ++this.generation;
		this.pending = scheduler().schedule(() -> retry.accept(generation), delay, TimeUnit.NANOSECONDS);
		this.retryAt = at;
		logger.info("TCP responder retries the bind of " + inUse.stream()
			.map(ListenerStatus::address)
			.collect(Collectors.joining(", ")) + " at " + at.truncatedTo(ChronoUnit.MILLIS) + ", "
				+ why);
	}

	/**
	 * Whether the retry that runs is still the pending one, and not one cancelled or replaced while it waited for the
	 * lifecycle.
	 * @param generation the retry's generation
	 * @return whether it is to bind
	 */
	boolean due(long generation) {
		return this.pending != null && generation == this.generation;
	}

	/**
	 * Cancels the pending retry, if any.
	 */
	void cancel() {
		this.generation++;
		if (this.pending != null) {
			this.pending.cancel(false);
			this.pending = null;
		}
		this.retryAt = null;
	}

	/**
	 * Cancels the pending retry, and schedules none after.
	 */
	void shutdown() {
		cancel();
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	private ScheduledExecutorService scheduler() {
		if (this.scheduler == null) {
			this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
				.name("responder-bind-retry")
				.daemon(true)
				.factory());
		}
		return this.scheduler;
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
