package io.tcpresponder.kernel.bind;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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
 * @param clock the kernel clock {@code freeAt} was told by, to a tick ({@value KernelClock#TIMES} or
 * {@value KernelClock#TIMER_LIST}); {@code null} where none could be read, and {@code freeAt} is then the latest the
 * timer wheel may take at any HZ, up to 5.12 s late
 */
public record BindVerdict(long timeWait, long listeners, long others, @Nullable Instant freeAt,
		@Nullable Boolean reuseAddressWouldHelp, List<Holder> holders, @Nullable String clock) {

	public BindVerdict {
		holders = List.copyOf(holders);
	}

	/**
	 * No socket blocks the address: the kernel's tables cannot be read, or the blockers went away before they were.
	 * @return blockers with every count 0
	 */
	public static BindVerdict none() {
		return new BindVerdict(0, 0, 0, null, null, List.of(), null);
	}

	/**
	 * Whether any socket blocks the bind.
	 * @return whether one does
	 */
	public boolean blocks() {
		return this.timeWait + this.listeners + this.others > 0;
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

		/**
		 * Whether this process holds the socket: one of its own listeners, on another address that covers this one,
		 * or one not yet gone from the kernel's table.
		 * @return whether it does
		 */
		public boolean ownProcess() {
			return this.pid != null && this.pid == ProcessHandle.current().pid();
		}

	}

	/**
	 * The blockers in a sentence, such as {@code held by 2 sockets in TIME_WAIT until 2026-12-03T07:31:02Z (in 58 s);
	 * SO_REUSEADDR would not help: they were left by a listener without it}.
	 * @return the sentence
	 */
	public String describe() {
		List<String> kinds = new ArrayList<>();
		count(kinds, this.listeners, "listening socket", "listening sockets");
		count(kinds, this.timeWait, "socket in TIME_WAIT", "sockets in TIME_WAIT");
		count(kinds, this.others, "socket in another state", "sockets in other states");
		if (kinds.isEmpty()) {
			return "the kernel's tables show no socket that holds it any more";
		}
		StringBuilder text = new StringBuilder("held by ").append(String.join(", ", kinds));
		if (!this.holders.isEmpty()) {
			text.append(this.holders
				.stream()
				.map((holder) -> "inode " + holder.inode() + " of uid " + holder.uid()
						+ ((holder.pid() != null) ? ", process " + holder.pid() + " (" + holder.command() + ")" : "")
						+ (holder.ownProcess() ? ", a listener of this very process" : ""))
				.collect(Collectors.joining("; ", " (", ")")));
		}
		Instant freeAt = this.freeAt;
		if (freeAt != null) {
			text.append(" until ").append(freeAt.truncatedTo(ChronoUnit.MILLIS)).append(" (in ")
				.append(secondsUntil(freeAt, Instant.now())).append(" s)");
		}
		else if (this.listeners > 0) {
			text.append("; a listening socket stays until its process closes it");
		}
		Boolean helps = this.reuseAddressWouldHelp;
		if (helps != null) {
			text.append(helps ? "; SO_REUSEADDR would bind over them"
					: (this.listeners > 0) ? "; SO_REUSEADDR would not help beside a listener"
							: "; SO_REUSEADDR would not help: they were left by a listener without it");
		}
		return text.toString();
	}

	/**
	 * Whole seconds from now until the given moment, rounded up, at least 0: what {@code Retry-After} and the
	 * countdowns say.
	 * @param moment the moment
	 * @param now now
	 * @return the seconds
	 */
	public static long secondsUntil(Instant moment, Instant now) {
		long millis = Duration.between(now, moment).toMillis();
		return Math.max(0, Math.ceilDiv(millis, 1000));
	}

	private static void count(List<String> kinds, long count, String one, String several) {
		if (count > 0) {
			kinds.add(count + " " + ((count == 1) ? one : several));
		}
	}

}
