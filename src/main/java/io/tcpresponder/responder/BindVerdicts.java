package io.tcpresponder.responder;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.tcpresponder.kernel.BindBlockers;
import io.tcpresponder.kernel.RefusedBind;
import io.tcpresponder.kernel.Blockers;
import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.KernelError;
import org.jspecify.annotations.Nullable;

/**
 * What the responder tells of a bind the kernel refused with EADDRINUSE: the sockets that hold the address, read
 * from the kernel just after the refusal with what this process knows of its own listeners, and the one sentence that
 * the log, the failure analysis and the problem's detail say of them.
 */
final class BindVerdicts {

	private final BindBlockers blockers;

	private final ListenerHistory history;

	BindVerdicts(BindBlockers blockers, ListenerHistory history) {
		this.blockers = blockers;
		this.history = history;
	}

	ListenerHistory history() {
		return this.history;
	}

	/**
	 * The blockers of a refused bind.
	 * @param settings the settings it was tried with
	 * @param address the listener's address, or {@code null} for every local address
	 * @param error the kernel's error
	 * @return the blockers, or {@code null} unless the error is EADDRINUSE
	 */
	@Nullable Blockers of(ListenerSettings settings, @Nullable InetAddress address, KernelError error) {
		if (!Errno.EADDRINUSE.name().equals(error.code())) {
			return null;
		}
		RefusedBind probe = new RefusedBind(address, settings.port(), settings.options().reuseAddress(),
				settings.options().reusePort(), settings.options().ipv6Only());
		return this.blockers.read(probe, this.history.pastListeners());
	}

	/**
	 * The blockers in a sentence, such as {@code held by 2 sockets in TIME_WAIT until 2026-12-03T07:31:02Z (in 58 s);
	 * SO_REUSEADDR would not help: they were left by a listener without it}.
	 * @param blockers the blockers
	 * @return the sentence
	 */
	static String describe(Blockers blockers) {
		List<String> kinds = new ArrayList<>();
		count(kinds, blockers.listeners(), "listening socket", "listening sockets");
		count(kinds, blockers.timeWait(), "socket in TIME_WAIT", "sockets in TIME_WAIT");
		count(kinds, blockers.others(), "socket in another state", "sockets in other states");
		if (kinds.isEmpty()) {
			return "the kernel's tables show no socket that holds it any more";
		}
		StringBuilder text = new StringBuilder("held by ").append(String.join(", ", kinds));
		if (!blockers.holders().isEmpty()) {
			text.append(blockers.holders()
				.stream()
				.map((holder) -> "inode " + holder.inode() + " of uid " + holder.uid()
						+ ((holder.pid() != null) ? ", process " + holder.pid() + " (" + holder.command() + ")" : ""))
				.collect(Collectors.joining("; ", " (", ")")));
		}
		Instant freeAt = blockers.freeAt();
		if (freeAt != null) {
			text.append(" until ").append(freeAt.truncatedTo(ChronoUnit.MILLIS)).append(" (in ")
				.append(secondsUntil(freeAt, Instant.now())).append(" s)");
		}
		else if (blockers.listeners() > 0) {
			text.append("; a listening socket stays until its process closes it");
		}
		Boolean helps = blockers.reuseAddressWouldHelp();
		if (helps != null) {
			text.append(helps ? "; SO_REUSEADDR would bind over them"
					: (blockers.listeners() > 0) ? "; SO_REUSEADDR would not help beside a listener"
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
	static long secondsUntil(Instant moment, Instant now) {
		long millis = Duration.between(now, moment).toMillis();
		return Math.max(0, Math.ceilDiv(millis, 1000));
	}

	private static void count(List<String> kinds, long count, String one, String several) {
		if (count > 0) {
			kinds.add(count + " " + ((count == 1) ? one : several));
		}
	}

}
