package io.tcpresponder.kernel.bind;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

import io.tcpresponder.transport.TableSocket;
import org.jspecify.annotations.Nullable;

/**
 * The address a bind asked for, and which of the port's sockets it overlaps ({@code inet_rcv_saddr_equal}), with
 * addresses as 32-bit words in network order, as the kernel's tables give them.
 */
final class BindTarget {

	/** The third word of an IPv4-mapped address, {@code ::ffff:a.b.c.d}. */
	private static final int MAPPED_WORD = 0x0000FFFF;

	/**
	 * An address as {@link TableSocket#addressWord} gives it: 32-bit words, in network order.
	 */
	static int[] words(byte[] address) {
		ByteBuffer bytes = ByteBuffer.wrap(address);
		int[] words = new int[address.length / 4];
		for (int i = 0; i < words.length; i++) {
			words[i] = bytes.getInt();
		}
		return words;
	}

	/**
	 * Whether an IPv6 socket's local address is an IPv4-mapped one ({@code ::ffff:a.b.c.d}): an IPv4 client of a
	 * dual-stack listener.
	 */
	private static boolean isMapped(int[] words) {
		return words[0] == 0 && words[1] == 0 && words[2] == MAPPED_WORD;
	}

	private static boolean isAny(boolean ipv6, int[] words) {
		return ipv6 ? (words[0] | words[1] | words[2] | words[3]) == 0 : words[0] == 0;
	}

	private final boolean ipv6;

	private final boolean any;

	private final boolean ipv6Only;

	private final int[] words;

	BindTarget(RefusedBind probe) {
		InetAddress address = probe.address();
		this.ipv6 = !(address instanceof Inet4Address);
		this.any = address == null || address.isAnyLocalAddress();
		this.ipv6Only = probe.ipv6Only();
		this.words = (address != null) ? words(address.getAddress()) : new int[4];
	}

	boolean overlaps(boolean socketIpv6, int[] socket) {
		boolean socketIpv4 = !socketIpv6 || isMapped(socket);
		int socketIpv4Word = socketIpv6 ? socket[3] : socket[0];
		if (!this.ipv6) {
			if (socketIpv4) {
				return this.any || socketIpv4Word == 0 || socketIpv4Word == this.words[0];
			}
			// A wildcard IPv6 socket takes IPv4 too unless it set IPV6_V6ONLY, which the tables do not show.
			return isAny(true, socket);
		}
		if (this.any) {
			return !socketIpv4 || !this.ipv6Only;
		}
		if (socketIpv4) {
			return false;
		}
		return isAny(true, socket) || (socket[0] == this.words[0] && socket[1] == this.words[1]
				&& socket[2] == this.words[2] && socket[3] == this.words[3]);
	}

	boolean covers(@Nullable InetAddress listener, boolean socketIpv6, int[] socket) {
		if (listener == null || listener.isAnyLocalAddress()) {
			return true;
		}
		int[] words = words(listener.getAddress());
		if (words.length == 1) {
			if (socketIpv6) {
				return isMapped(socket) && socket[3] == words[0];
			}
			return socket[0] == words[0];
		}
		return socketIpv6 && socket[0] == words[0] && socket[1] == words[1] && socket[2] == words[2]
				&& socket[3] == words[3];
	}

}
