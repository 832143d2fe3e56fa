package io.tcpresponder.kernel;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The kernel's view of one TCP port at one moment: its sockets by state, its listeners' accept queue, and the
 * host's listen overflow counters.
 *
 * @param available whether the kernel's socket tables could be read; when not, every figure is zero
 * @param states the number of sockets whose local port is the port, for every state (zero included), in the order
 * of {@link TcpState}
 * @param acceptQueueDepth connections established and not yet accepted, summed over the port's listeners
 * @param acceptQueueLimit the accept queue limit (the listen backlog as the kernel keeps it), summed over the
 * port's listeners
 * @param listenOverflows times an accept queue was full when a handshake completed (TcpExt ListenOverflows); a
 * counter of the whole host (network namespace), not only of this port
 * @param listenDrops handshakes dropped by listeners for any reason, overflows included (TcpExt ListenDrops); a
 * counter of the whole host (network namespace)
 * @param migrateRequests whether the kernel moves the accept queue of a closing SO_REUSEPORT listener to its
 * siblings ({@code net.ipv4.tcp_migrate_req}); {@code null} where the kernel has no such setting
 */
public record PortView(boolean available, Map<TcpState, Long> states, long acceptQueueDepth, long acceptQueueLimit,
		long listenOverflows, long listenDrops, @Nullable Boolean migrateRequests) {

	private static final PortView UNAVAILABLE = new PortView(false, Map.of(), 0, 0, 0, 0, null);

	public PortView {
		EnumMap<TcpState, Long> all = new EnumMap<>(TcpState.class);
		for (TcpState state : TcpState.values()) {
			all.put(state, states.getOrDefault(state, 0L));
		}
		states = Collections.unmodifiableMap(all);
	}

	/**
	 * The view where the kernel's socket tables cannot be read (not Linux).
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

}
