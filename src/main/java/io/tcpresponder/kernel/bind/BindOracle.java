package io.tcpresponder.kernel.bind;

import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Supplier;

import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.KernelError;
import io.tcpresponder.transport.SocketOptions;
import io.tcpresponder.transport.SocketTable;
import org.jspecify.annotations.Nullable;

/**
 * The bind oracle: the verdict on a bind the kernel refused with EADDRINUSE, read from the kernel's socket table just
 * after the refusal with what this process remembers of its own listeners ({@link ListenerHistory}).
 */
public final class BindOracle {

	private final BindBlockers blockers;

	private final ListenerHistory history;

	/**
	 * An oracle that reads the given table and clock.
	 * @param table the kernel's socket table, or {@code null} where none can be read: verdicts then name no blocker
	 * @param clock reads the kernel's clock, where it can be read: {@code freeAt} is then told to a tick
	 */
	public BindOracle(@Nullable SocketTable table, Supplier<Optional<KernelClock>> clock) {
		this(new BindBlockers(table, clock), new ListenerHistory());
	}

	BindOracle(BindBlockers blockers, ListenerHistory history) {
		this.blockers = blockers;
		this.history = history;
	}

	public ListenerHistory history() {
		return this.history;
	}

	/**
	 * The verdict on a refused bind.
	 * @param address the listener's address, or {@code null} for every local address
	 * @param port the port it was tried on
	 * @param options the options it was tried with
	 * @param error the kernel's error
	 * @return the verdict, or {@code null} unless the error is EADDRINUSE
	 */
	public @Nullable BindVerdict of(@Nullable InetAddress address, int port, SocketOptions options, KernelError error) {
		if (!error.is(Errno.EADDRINUSE)) {
			return null;
		}
		return this.blockers.read(probe(address, port, options), this.history.pastListeners(), false);
	}

	/**
	 * What a bind would meet now, asked before it is tried: the sockets that would block it, with this process's own
	 * listeners on the port left out, as a restart closes them first (or, in a handover, binds beside them with
	 * SO_REUSEPORT, as the kernel lets it).
	 * @param address the listener's address, or {@code null} for every local address
	 * @param port the port it would bind
	 * @param options the options it would bind with
	 * @return the verdict, whose {@link BindVerdict#blocks()} says whether the bind would be refused
	 */
	public BindVerdict predict(@Nullable InetAddress address, int port, SocketOptions options) {
		return this.blockers.read(probe(address, port, options), this.history.pastListeners(), true);
	}

	private static RefusedBind probe(@Nullable InetAddress address, int port, SocketOptions options) {
		return new RefusedBind(address, port, options.reuseAddress(), options.reusePort(), options.ipv6Only());
	}
}
