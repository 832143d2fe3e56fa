package io.tcpresponder.kernel.bind;

import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

/**
 * A bind the kernel refused, as the kernel's bind rules need it: the address, the port, and the options that decide
 * which sockets on the port it must stay clear of.
 *
 * @param address the local address, or {@code null} for every local address (a dual-stack {@code ::} unless
 * {@code ipv6Only})
 * @param port the port
 * @param reuseAddress whether the listener set SO_REUSEADDR
 * @param reusePort whether the listener set SO_REUSEPORT
 * @param ipv6Only whether an IPv6 listener set IPV6_V6ONLY
 */
public record RefusedBind(@Nullable InetAddress address, int port, boolean reuseAddress, boolean reusePort,
		boolean ipv6Only) {
}
