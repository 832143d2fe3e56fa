package io.tcpresponder.responder;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What {@code GET /actuator/responder} tells: the listener, its state, and the counts of the process.
 *
 * @param state the listener's state
 * @param address the local address listened on ({@code ::} for every address)
 * @param port the bound port, or the port to bind when not listening
 * @param reuseAddress the SO_REUSEADDR option of the listener
 * @param backlog the listen backlog
 * @param closeMode which side closes first
 * @param since when the current state began
 * @param lastError why the last bind failed; {@code null} once a bind succeeds
 * @param connections connection counts over the life of the process
 * @param restarts restart counts over the life of the process
 */
record ResponderDescriptor(ResponderState state, String address, int port, boolean reuseAddress, int backlog,
		String closeMode, Instant since, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable KernelError lastError,
		ConnectionCounts.Snapshot connections, Restarts restarts) implements OperationResponseBody {

	static ResponderDescriptor of(TcpResponder responder) {
		TcpResponder.Status status = responder.status();
		ListenerSettings settings = responder.settings();
		ConnectionCounts counts = responder.counts();
		return new ResponderDescriptor(status.state(), settings.addressText(), settings.port(),
				settings.reuseAddress(), settings.backlog(), responder.closeMode().value(), status.since(), status.lastError(), counts.snapshot(),
				new Restarts(counts.restarts(true), counts.restarts(false)));
	}

	/**
	 * Restart counts.
	 *
	 * @param succeeded restarts that bound a new listener
	 * @param failed restarts whose bind failed
	 */
	record Restarts(long succeeded, long failed) {
	}

}
