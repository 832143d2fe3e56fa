package io.tcpresponder.responder.server;

import java.time.Instant;

import io.tcpresponder.kernel.bind.BindVerdict;
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
public record ListenerStatus(String address, ListenerState state, Instant since, @Nullable KernelError lastError,
		@Nullable BindVerdict verdict) {

	ListenerStatus withState(ListenerState state) {
		return new ListenerStatus(this.address, state, Instant.now(), null, null);
	}

	public ListenerStatus failed(KernelError error, @Nullable BindVerdict verdict) {
		return new ListenerStatus(this.address, ListenerState.FAILED, Instant.now(), error, verdict);
	}

	ListenerStatus withLastError(KernelError lastError, @Nullable BindVerdict verdict) {
		return new ListenerStatus(this.address, this.state, this.since, lastError, verdict);
	}

	public boolean failed() {
		return this.state == ListenerState.FAILED;
	}

	public boolean listening() {
		return this.state == ListenerState.LISTENING;
	}

}
