package io.tcpresponder.kernel;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The sockets that hold the address and port a bind was refused for, as the kernel's tables show them just after.
 *
 * @param timeWait blocking sockets in TIME_WAIT
 * @param listeners blocking listening sockets
 * @param others blocking sockets in any other state
 * @param freeAt when the last blocking socket goes away, when the kernel's timer wheel removes it; {@code null} unless
 * every blocking socket goes away by itself (TIME_WAIT, and FIN_WAIT2 with its timer)
 * @param reuseAddressWouldHelp whether binding with SO_REUSEADDR would succeed now: {@code true} or {@code false}
 * where the blocking sockets are this process's and their listener's options are known, or are listeners (which
 * SO_REUSEADDR never binds beside); {@code null} where some were left by another process or before this one
 * @param holders the blocking listening sockets, each with its owner
 */
public record Blockers(long timeWait, long listeners, long others, @Nullable Instant freeAt,
		@Nullable Boolean reuseAddressWouldHelp, List<Holder> holders) {

	public Blockers {
		holders = List.copyOf(holders);
	}

	/**
	 * No socket blocks the address: the kernel's tables cannot be read, or the blockers went away before they were.
	 * @return blockers with every count 0
	 */
	public static Blockers none() {
		return new Blockers(0, 0, 0, null, null, List.of());
	}

	/**
	 * A listening socket that holds the address.
	 *
	 * @param address its local address
	 * @param inode its inode, as {@code ss -e} and {@code /proc/PID/fd} show it
	 * @param uid the user that owns it
	 * @param pid the process that holds it, or {@code null} where this process cannot see it
	 * @param command that process's command name, or {@code null}
	 */
	public record Holder(InetAddress address, long inode, long uid, @Nullable Long pid, @Nullable String command) {
	}

}
