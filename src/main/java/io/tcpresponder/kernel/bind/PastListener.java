package io.tcpresponder.kernel.bind;

import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

/**
 * A listener this process ran on the port, and when it closed the connections it accepted: what tells which of the
 * port's TIME_WAIT sockets it left, and so with which options, since a TIME_WAIT socket keeps its listener's
 * SO_REUSEADDR and SO_REUSEPORT and the kernel's tables do not show them.
 *
 * @param address the local address it was bound to, or {@code null} for every local address
 * @param reuseAddress whether it set SO_REUSEADDR
 * @param reusePort whether it set SO_REUSEPORT
 * @param firstClose the {@link System#nanoTime()} when it first closed a connection of its own
 * @param lastClose the {@link System#nanoTime()} when it last closed one
 */
public record PastListener(@Nullable InetAddress address, boolean reuseAddress, boolean reusePort, long firstClose,
		long lastClose) {
}
