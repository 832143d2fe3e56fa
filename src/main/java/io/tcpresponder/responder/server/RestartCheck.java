package io.tcpresponder.responder.server;

import java.util.List;

import io.tcpresponder.kernel.bind.BindVerdict;
import org.jspecify.annotations.Nullable;

/**
 * What a restart would meet, asked before it acts and closing nothing: whether the mode would refuse it, and for each
 * address of the new settings the verdict its bind would get from the kernel as the port is now.
 *
 * @param refusal why the mode would refuse the restart, or {@code null}
 * @param listeners one per address of the new settings, in their order
 */
public record RestartCheck(@Nullable String refusal, List<Listener> listeners) {

	public RestartCheck {
		listeners = List.copyOf(listeners);
	}

	/**
	 * Whether the restart would bind every address.
	 * @return whether it would
	 */
	public boolean wouldBind() {
		return this.refusal == null && this.listeners.stream().allMatch(Listener::wouldBind);
	}

	/**
	 * One address's bind, as it would go.
	 *
	 * @param address the address, as users write it
	 * @param port the port it would bind, 0 for one the kernel picks
	 * @param verdict what would block it; {@code null} where nothing would, or none can be told (a port the kernel
	 * picks is always free)
	 */
	public record Listener(String address, int port, @Nullable BindVerdict verdict) {

		public boolean wouldBind() {
			return this.verdict == null || !this.verdict.blocks();
		}

	}

}
