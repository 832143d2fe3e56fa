package io.tcpresponder.responder.actuate;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tcpresponder.responder.server.RestartCheck;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The answer to a restart asked for with {@code dryRun}: what it would meet, nothing closed. {@code wouldBind} for the
 * whole and for each address, the mode's refusal where it would refuse, and for an address whose bind would be refused
 * the verdict a restart would get: its blockers, {@code freeAt}, whether SO_REUSEADDR would help, and the clock.
 *
 * @param dryRun always {@code true}: nothing was closed
 * @param wouldBind whether the restart would bind every address
 * @param refusal why the mode would refuse it, or {@code null}
 * @param listeners one per address of the new settings
 */
record RestartCheckDescriptor(boolean dryRun, boolean wouldBind,
		@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String refusal,
		List<Listener> listeners) implements OperationResponseBody {

	static RestartCheckDescriptor of(RestartCheck check, Instant now) {
		return new RestartCheckDescriptor(true, check.wouldBind(), check.refusal(),
				check.listeners()
					.stream()
					.map((listener) -> new Listener(listener.address(), listener.port(), listener.wouldBind(),
							listener.wouldBind() ? null : ResponderDescriptor.Verdict.of(listener.verdict(), now)))
					.toList());
	}

	/**
	 * One address's bind, as it would go.
	 *
	 * @param address the address
	 * @param port the port
	 * @param wouldBind whether it would bind
	 * @param verdict what would block it, where something would
	 */
	record Listener(String address, int port, boolean wouldBind,
			@JsonUnwrapped ResponderDescriptor.@Nullable Verdict verdict) {
	}

}
