package io.tcpresponder.responder;

import java.time.Instant;

import io.tcpresponder.kernel.Blockers;
import io.tcpresponder.transport.KernelError;
import org.jspecify.annotations.Nullable;

/**
 * One listener's state, when it began, and the error of its last failed bind.
 *
 * @param address the listener's local address as users write it ({@code ::} for every address)
 * @param state the state
 * @param since when the state began
 * @param lastError why the last bind failed, or {@code null}
 * @param blockers for a last bind refused with EADDRINUSE, the sockets that held the address then; else {@code null}
 */
record ListenerStatus(String address, ListenerState state, Instant since, @Nullable KernelError lastError,
		@Nullable Blockers blockers) {

	ListenerStatus withState(ListenerState state) {
		return new ListenerStatus(this.address, state, Instant.now(), null, null);
	}

	ListenerStatus failed(KernelError error, @Nullable Blockers blockers) {
		return new ListenerStatus(this.address, ListenerState.FAILED, Instant.now(), error, blockers);
	}

	ListenerStatus withLastError(KernelError lastError, @Nullable Blockers blockers) {
		return new ListenerStatus(this.address, this.state, this.since, lastError, blockers);
	}

	boolean failed() {
		return this.state == ListenerState.FAILED;
	}

	boolean listening() {
		return this.state == ListenerState.LISTENING;
	}

}
