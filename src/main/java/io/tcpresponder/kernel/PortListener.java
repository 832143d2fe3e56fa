package io.tcpresponder.kernel;

import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

/**
 * One listening socket of the port as the kernel reports it: each member of a SO_REUSEPORT group, and each bind
 * address, is one.
 *
 * @param address the socket's local address ({@code ::} or {@code 0.0.0.0} for every address)
 * @param inode the socket's inode
 * @param acceptQueueDepth connections established and not yet accepted
 * @param acceptQueueLimit how many may wait (the effective listen backlog)
 * @param drops handshakes the kernel dropped on this socket, a full accept queue's included; {@code null} where the
 * table does not tell them ({@code /proc/net/tcp})
 */
public record PortListener(InetAddress address, long inode, long acceptQueueDepth, long acceptQueueLimit,
		@Nullable Long drops) {
}
