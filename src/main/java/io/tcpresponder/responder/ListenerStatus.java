package io.tcpresponder.responder;

import java.time.Instant;

import io.tcpresponder.transport.KernelError;
import org.jspecify.annotations.Nullable;

/**
 * One listener's state, when it began, and the error of its last failed bind.
 *
 * @param address the listener's local address as users write it ({@code ::} for every address)
 * @param state the state
 * @param since when the state began
 * @param lastError why the last bind failed, or {@code null}
 */
record ListenerStatus(String address, ListenerState state, Instant since, @Nullable KernelError lastError) {

	ListenerStatus withState(ListenerState state, @Nullable KernelError lastError) {
		return new ListenerStatus(this.address, state, Instant.now(), lastError);
	}

	ListenerStatus withLastError(KernelError lastError) {
		return new ListenerStatus(this.address, this.state, this.since, lastError);
	}

	boolean listening() {
		return this.state == ListenerState.LISTENING;
	}

}
