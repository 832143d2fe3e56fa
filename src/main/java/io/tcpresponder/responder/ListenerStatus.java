package io.tcpresponder.responder;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A TCP listener's state, when it began, and the error of its last failed bind; or the same for the responder as a
 * whole, combined from its listeners by {@link #of(List)}.
 *
 * @param address the listener's local address as users write it ({@code ::} for every address); for the whole, every
 * address, separated by commas
 * @param state the state
 * @param since when the state began
 * @param lastError why the last bind failed, or {@code null}
 */
record ListenerStatus(String address, ResponderState state, Instant since, @Nullable KernelError lastError) {

	ListenerStatus withState(ResponderState state, @Nullable KernelError lastError) {
		return new ListenerStatus(this.address, state, Instant.now(), lastError);
	}

	/**
	 * The status of the responder as a whole: {@link ResponderState#LISTENING LISTENING} when every listener is,
	 * {@link ResponderState#PARTIALLY_LISTENING PARTIALLY_LISTENING} when some are and none is starting, and otherwise
	 * the state they share, or {@link ResponderState#FAILED FAILED} when one failed; since the latest change of a
	 * listener; the last error of the first failed listener, else the first one reported.
	 * @param listeners the status of each listener, at least one
	 * @return the status of the whole
	 */
	static ListenerStatus of(List<ListenerStatus> listeners) {
		if (listeners.size() == 1) {
			return listeners.getFirst();
		}
		String address = listeners.stream().map(ListenerStatus::address).collect(Collectors.joining(", "));
		Instant since = listeners.stream().map(ListenerStatus::since).max(Instant::compareTo).orElseThrow();
		KernelError lastError = listeners.stream()
			.filter((listener) -> listener.state() == ResponderState.FAILED)
			.map(ListenerStatus::lastError)
			.filter(Objects::nonNull)
			.findFirst()
			.orElseGet(() -> listeners.stream()
				.map(ListenerStatus::lastError)
				.filter(Objects::nonNull)
				.findFirst()
				.orElse(null));
		return new ListenerStatus(address, combined(listeners), since, lastError);
	}

	private static ResponderState combined(List<ListenerStatus> listeners) {
		long listening = listeners.stream().filter((listener) -> listener.state() == ResponderState.LISTENING).count();
		if (listening == listeners.size()) {
			return ResponderState.LISTENING;
		}
		if (listeners.stream().anyMatch((listener) -> listener.state() == ResponderState.STARTING)) {
			return ResponderState.STARTING;
		}
		if (listening > 0) {
			return ResponderState.PARTIALLY_LISTENING;
		}
		return listeners.stream().allMatch((listener) -> listener.state() == ResponderState.STOPPED)
				? ResponderState.STOPPED : ResponderState.FAILED;
	}

}
