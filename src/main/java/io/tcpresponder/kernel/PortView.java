package io.tcpresponder.kernel;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The kernel's view of one TCP port at one moment: its sockets by state, its listeners and their accept queues, and
 * the host's listen overflow counters.
 *
 * @param available whether the kernel's socket table could be read; when not, every figure is zero
 * @param source where the socket table was read from ({@code sock_diag} or {@code /proc/net/tcp}); {@code null} when
 * not available
 * @param states the number of sockets whose local port is the port, for every state (zero included), in the order
 * of {@link TcpState}
 * @param listeners the port's listening sockets, of this process and any other
 * @param hostListenOverflows times an accept queue was full when a handshake completed (TcpExt ListenOverflows); a
 * counter of the whole host (network namespace), not only of this port
 * @param hostListenDrops handshakes dropped by listeners for any reason, overflows included (TcpExt ListenDrops); a
 * counter of the whole host (network namespace)
 * @param migrateRequests whether the kernel moves the accept queue of a closing SO_REUSEPORT listener to its
 * siblings ({@code net.ipv4.tcp_migrate_req}); {@code null} where the kernel has no such setting
 * @param readAt when the table was read, which tells a reader whether a view is a new one; {@code null} when not
 * available
 */
public record PortView(boolean available, @Nullable String source, Map<TcpState, Long> states,
		List<PortListener> listeners, long hostListenOverflows, long hostListenDrops,
		@Nullable Boolean migrateRequests, @Nullable Instant readAt) {

	private static final PortView UNAVAILABLE = new PortView(false, null, Map.of(), List.of(), 0, 0, null, null);

	public PortView {
		EnumMap<TcpState, Long> all = new EnumMap<>(TcpState.class);
		for (TcpState state : TcpState.values()) {
			all.put(state, states.getOrDefault(state, 0L));
		}
		states = Collections.unmodifiableMap(all);
		listeners = List.copyOf(listeners);
	}

	/**
	 * The view where the kernel's socket table cannot be read (not Linux).
	 * @return a view with {@code available} false and zeros elsewhere
	 */
	public static PortView unavailable() {
		return UNAVAILABLE;
	}

	/**
	 * The number of the port's sockets in the given state.
	 * @param state the state
	 * @return the number of sockets
	 */
	public long count(TcpState state) {
		return this.states.get(state);
	}

	/**
	 * Connections established and not yet accepted, summed over the port's listeners.
	 * @return the depth
	 */
	public long acceptQueueDepth() {
		return this.listeners.stream().mapToLong(PortListener::acceptQueueDepth).sum();
	}

	/**
	 * The accept queue limits of the port's listeners, summed.
	 * @return the limit
	 */
	public long acceptQueueLimit() {
		return this.listeners.stream().mapToLong(PortListener::acceptQueueLimit).sum();
	}

}
