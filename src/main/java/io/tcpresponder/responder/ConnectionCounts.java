package io.tcpresponder.responder;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection and restart counts over the life of the process, across restarts.
 *
 * <p>
 * Active connections are not counted but derived: accepted minus those that ended. Ends are read before accepts, so
 * every snapshot satisfies accepted = completed + failed + active.
 */
final class ConnectionCounts {

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong completed = new AtomicLong();

	private final Map<FailureReason, AtomicLong> failed = new EnumMap<>(FailureReason.class);

	private final AtomicLong bytesWritten = new AtomicLong();

	private final AtomicLong clientCloseTimeouts = new AtomicLong();

	private final AtomicLong restartsSucceeded = new AtomicLong();

	private final AtomicLong restartsFailed = new AtomicLong();

	ConnectionCounts() {
		for (FailureReason reason : FailureReason.values()) {
			this.failed.put(reason, new AtomicLong());
		}
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
		long ended = completed() + failed();
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

	Snapshot snapshot() {
		long completed = completed();
		long failed = failed();
		long accepted = accepted();
		return new Snapshot(accepted, accepted - completed - failed, completed, failed);
	}

	/**
	 * Connection counts read together.
	 *
	 * @param accepted connections accepted
	 * @param active connections accepted and not yet ended
	 * @param completed connections that got the whole line and were closed
	 * @param failed connections that ended without the whole line
	 */
	record Snapshot(long accepted, long active, long completed, long failed) {
	}

}
