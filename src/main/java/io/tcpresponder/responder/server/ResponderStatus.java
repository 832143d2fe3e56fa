package io.tcpresponder.responder.server;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.tcpresponder.transport.KernelError;
import org.jspecify.annotations.Nullable;

/**
 * The responder's state as a whole, combined from its listeners' by {@link #of(List)}.
 *
 * @param address every listener's address, separated by commas
 * @param state the state
 * @param since when a listener's state last changed
 * @param lastError the last error of the first failed listener, else the first one reported, or {@code null}
 */
public record ResponderStatus(String address, ResponderState state, Instant since, @Nullable KernelError lastError) {

	/**
	 * The status of the responder as a whole: {@link ResponderState#LISTENING LISTENING} when every listener is,
	 * {@link ResponderState#PARTIALLY_LISTENING PARTIALLY_LISTENING} when some are and none is starting, and otherwise
	 * the state they share, or {@link ResponderState#FAILED FAILED} when one failed.
	 * @param listeners the status of each listener, at least one
	 * @return the status of the whole
	 */
	public static ResponderStatus of(List<ListenerStatus> listeners) {
		String address = listeners.stream().map(ListenerStatus::address).collect(Collectors.joining(", "));
		Instant since = listeners.stream().map(ListenerStatus::since).max(Instant::compareTo).orElseThrow();
		KernelError lastError = listeners.stream()
			.filter((listener) -> listener.state() == ListenerState.FAILED)
			.map(ListenerStatus::lastError)
			.filter(Objects::nonNull)
			.findFirst()
			.orElseGet(() -> listeners.stream()
				.map(ListenerStatus::lastError)
				.filter(Objects::nonNull)
				.findFirst()
				.orElse(null));
		return new ResponderStatus(address, combined(listeners), since, lastError);
	}

	private static ResponderState combined(List<ListenerStatus> listeners) {
		long listening = listeners.stream().filter(ListenerStatus::listening).count();
		if (listening == listeners.size()) {
			return ResponderState.LISTENING;
		}
		if (listeners.stream().anyMatch((listener) -> listener.state() == ListenerState.STARTING)) {
			return ResponderState.STARTING;
		}
		if (listening > 0) {
			return ResponderState.PARTIALLY_LISTENING;
		}
		return listeners.stream().allMatch((listener) -> listener.state() == ListenerState.STOPPED)
				? ResponderState.STOPPED : ResponderState.FAILED;
	}

	/**
	 * Whether some address is bound and accepting.
	 * @return whether the state is LISTENING or PARTIALLY_LISTENING
	 */
	public boolean serving() {
		return this.state == ResponderState.LISTENING || this.state == ResponderState.PARTIALLY_LISTENING;
	}

}
