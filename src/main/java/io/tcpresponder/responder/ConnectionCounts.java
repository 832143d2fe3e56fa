package io.tcpresponder.responder;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection and restart counts over the life of the process, across restarts.
 *
 * <p>
 * Active connections are not counted but derived: accepted minus those that ended or were refused. Ends are read
 * before accepts, so every snapshot satisfies accepted = completed + failed + refused + active.
 */
final class ConnectionCounts {

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong completed = new AtomicLong();

	private final Map<FailureReason, AtomicLong> failed = new EnumMap<>(FailureReason.class);

	private final Map<Refusal, AtomicLong> refused = new EnumMap<>(Refusal.class);

	private final AtomicLong bytesWritten = new AtomicLong();

	private final AtomicLong clientCloseTimeouts = new AtomicLong();

	private final AtomicLong restartsSucceeded = new AtomicLong();

	private final AtomicLong restartsFailed = new AtomicLong();

	ConnectionCounts() {
		for (FailureReason reason : FailureReason.values()) {
			this.failed.put(reason, new AtomicLong());
		}
		for (Refusal reason : Refusal.values()) {
			this.refused.put(reason, new AtomicLong());
		}
	}

	void onRefused(Refusal reason) {
		this.refused.get(reason).incrementAndGet();
	}

	long refused(Refusal reason) {
		return this.refused.get(reason).get();
	}

	long refused() {
		long total = 0;
		for (AtomicLong count : this.refused.values()) {
			total += count.get();
		}
		return total;
	}

	void onAccepted() {
		this.accepted.incrementAndGet();
	}

	void onCompleted(long bytes) {
		this.bytesWritten.addAndGet(bytes);
		this.completed.incrementAndGet();
	}

	void onFailed(FailureReason reason, long bytes) {
		this.bytesWritten.addAndGet(bytes);
		this.failed.get(reason).incrementAndGet();
	}

	void onClientCloseTimeout() {
		this.clientCloseTimeouts.incrementAndGet();
	}

	void onRestart(boolean succeeded) {
		(succeeded ? this.restartsSucceeded : this.restartsFailed).incrementAndGet();
	}

	long accepted() {
		return this.accepted.get();
	}

	long completed() {
		return this.completed.get();
	}

	long failed(FailureReason reason) {
		return this.failed.get(reason).get();
	}

	long failed() {
		long total = 0;
		for (AtomicLong count : this.failed.values()) {
			total += count.get();
		}
		return total;
	}

	long active() {
		long ended = completed() + failed() + refused();
		return accepted() - ended;
	}

	long bytesWritten() {
		return this.bytesWritten.get();
	}

	long clientCloseTimeouts() {
		return this.clientCloseTimeouts.get();
	}

	long restarts(boolean succeeded) {
		return (succeeded ? this.restartsSucceeded : this.restartsFailed).get();
	}

	/**
	 * Reads every connection count together, each reason of failure apart.
	 * @return the counts
	 */
	Reading read() {
		long completed = completed();
		Map<FailureReason, Long> failed = new EnumMap<>(FailureReason.class);
		this.failed.forEach((reason, count) -> failed.put(reason, count.get()));
		Map<Refusal, Long> refused = new EnumMap<>(Refusal.class);
		this.refused.forEach((reason, count) -> refused.put(reason, count.get()));
		long accepted = accepted();
		return new Reading(accepted, completed, failed, refused);
	}

	Snapshot snapshot() {
		return read().snapshot();
	}

	/**
	 * Connection counts read together, ends before accepts, with failures by reason.
	 *
	 * @param accepted connections accepted
	 * @param completed connections that got the whole line and were closed
	 * @param failedByReason connections that ended without the whole line, for every reason
	 * @param refusedByReason connections refused before the line, for every limit
	 */
	record Reading(long accepted, long completed, Map<FailureReason, Long> failedByReason,
			Map<Refusal, Long> refusedByReason) {

		long failed(FailureReason reason) {
			return this.failedByReason.get(reason);
		}

		long failed() {
			return this.failedByReason.values().stream().mapToLong(Long::longValue).sum();
		}

		long refused(Refusal reason) {
			return this.refusedByReason.get(reason);
		}

		long refused() {
			return this.refusedByReason.values().stream().mapToLong(Long::longValue).sum();
		}

		long active() {
			return this.accepted - this.completed - failed() - refused();
		}

		Snapshot snapshot() {
			return new Snapshot(this.accepted, active(), this.completed, failed(), refused());
		}

	}

	/**
	 * Connection counts read together, as {@code GET /actuator/responder} shows them.
	 *
	 * @param accepted connections accepted
	 * @param active connections accepted and not yet ended
	 * @param completed connections that got the whole line and were closed
	 * @param failed connections that ended without the whole line
	 * @param refused connections over a limit, reset before the line
	 */
	record Snapshot(long accepted, long active, long completed, long failed, long refused) {
	}

}
