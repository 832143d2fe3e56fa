package io.tcpresponder.responder.connection;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.tcpresponder.responder.limit.Refusal;

/**
 * Connection and restart counts over the life of the process, across restarts.
 *
 * <p>
 * Active connections are not counted but derived: accepted minus those that ended or were refused. Ends are read
 * before accepts, so every snapshot satisfies accepted = completed + failed + refused + active.
 */
public final class ConnectionCounts {

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong completed = new AtomicLong();

	private final ByReason<FailureReason> failed = new ByReason<>(FailureReason.class);

	private final ByReason<Refusal> refused = new ByReason<>(Refusal.class);

	private final AtomicLong bytesWritten = new AtomicLong();

	private final AtomicLong clientCloseTimeouts = new AtomicLong();

	private final AtomicLong restartsSucceeded = new AtomicLong();

	private final AtomicLong restartsFailed = new AtomicLong();

	private final AtomicLong restartChecks = new AtomicLong();

	void onRefused(Refusal reason) {
		this.refused.add(reason);
	}

	public long refused(Refusal reason) {
		return this.refused.get(reason);
	}

	public long refused() {
		return this.refused.total();
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
		this.failed.add(reason);
	}

	void onClientCloseTimeout() {
		this.clientCloseTimeouts.incrementAndGet();
	}

	public void onRestart(boolean succeeded) {
		(succeeded ? this.restartsSucceeded : this.restartsFailed).incrementAndGet();
	}

	/**
	 * A restart was asked for with {@code dryRun}: checked, and nothing closed.
	 */
	public void onRestartCheck() {
		this.restartChecks.incrementAndGet();
	}

	public long restartChecks() {
		return this.restartChecks.get();
	}

	public long accepted() {
		return this.accepted.get();
	}

	public long completed() {
		return this.completed.get();
	}

	public long failed(FailureReason reason) {
		return this.failed.get(reason);
	}

	public long failed() {
		return this.failed.total();
	}

	public long active() {
		long ended = completed() + failed() + refused();
		return accepted() - ended;
	}

	public long bytesWritten() {
		return this.bytesWritten.get();
	}

	public long clientCloseTimeouts() {
		return this.clientCloseTimeouts.get();
	}

	public long restarts(boolean succeeded) {
		return (succeeded ? this.restartsSucceeded : this.restartsFailed).get();
	}

	/**
	 * Reads every connection count together, each reason of failure apart.
	 * @return the counts
	 */
	public Reading read() {
		long completed = completed();
		Map<FailureReason, Long> failed = this.failed.read();
		Map<Refusal, Long> refused = this.refused.read();
		long accepted = accepted();
		return new Reading(accepted, completed, failed, refused);
	}

	public Snapshot snapshot() {
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
	public record Reading(long accepted, long completed, Map<FailureReason, Long> failedByReason,
			Map<Refusal, Long> refusedByReason) {

		public long failed(FailureReason reason) {
			return this.failedByReason.get(reason);
		}

		public long failed() {
			return sum(this.failedByReason);
		}

		public long refused(Refusal reason) {
			return this.refusedByReason.get(reason);
		}

		public long refused() {
			return sum(this.refusedByReason);
		}

		public long active() {
			return this.accepted - this.completed - failed() - refused();
		}

		public Snapshot snapshot() {
			return new Snapshot(this.accepted, active(), this.completed, failed(), refused());
		}

		private static long sum(Map<?, Long> counts) {
			return counts.values().stream().mapToLong(Long::longValue).sum();
		}

	}

	/**
	 * A count for every reason of an enum, failures' or refusals'.
	 */
	private static final class ByReason<E extends Enum<E>> {

		private final Class<E> type;

		private final Map<E, AtomicLong> counts;

		ByReason(Class<E> type) {
			this.type = type;
			this.counts = new EnumMap<>(type);
			for (E reason : type.getEnumConstants()) {
				this.counts.put(reason, new AtomicLong());
			}
		}

		void add(E reason) {
			this.counts.get(reason).incrementAndGet();
		}

		long get(E reason) {
			return this.counts.get(reason).get();
		}

		long total() {
			long total = 0;
			for (AtomicLong count : this.counts.values()) {
				total += count.get();
			}
			return total;
		}

		/** Every reason's count, read one after the other. */
		Map<E, Long> read() {
			Map<E, Long> read = new EnumMap<>(this.type);
			this.counts.forEach((reason, count) -> read.put(reason, count.get()));
			return read;
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
	public record Snapshot(long accepted, long active, long completed, long failed, long refused) {
	}

}
