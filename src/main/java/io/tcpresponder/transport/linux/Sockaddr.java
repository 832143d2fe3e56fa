package io.tcpresponder.transport.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import org.jspecify.annotations.Nullable;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The C library's socket addresses, {@code struct sockaddr_in} and {@code struct sockaddr_in6}, in native memory.
 */
final class Sockaddr {

	private static final int SOCKADDR_IN_SIZE = 16;

	private static final int SOCKADDR_IN6_SIZE = 28;

	/** The size of room for a socket address of either family. */
	static final int ANY_SIZE = SOCKADDR_IN6_SIZE;

	private static final ValueLayout.OfShort NETWORK_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED
		.withOrder(ByteOrder.BIG_ENDIAN);

	static {
		// The JDK's address classes initialize here, on the thread that binds, rather than on an accept thread at
		// its first connection: their initialization probes the host's IPv6 support with sockets of its own.
		InetAddress.getLoopbackAddress();
	}

	private Sockaddr() {
	}

	/**
	 * A socket address of a family.
	 * @param arena where it lives
	 * @param family {@link NativeSocket#AF_INET} or {@link NativeSocket#AF_INET6}
	 * @param address the address, or {@code null} for the wildcard address of the family
	 * @param port the port
	 * @return the address
	 */
	static MemorySegment of(Arena arena, int family, @Nullable InetAddress address, int port) {
		boolean ipv4 = family == NativeSocket.AF_INET;
		MemorySegment sockaddr = arena.allocate(ipv4 ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE);
		sockaddr.set(ValueLayout.JAVA_SHORT, 0, (short) family);
		sockaddr.set(NETWORK_SHORT, 2, (short) port);
		if (address != null) {
			byte[] bytes = address.getAddress();
			MemorySegment.copy(bytes, 0, sockaddr, ValueLayout.JAVA_BYTE, ipv4 ? 4 : 8, bytes.length);
			if (address instanceof Inet6Address ipv6) {
				sockaddr.set(JAVA_INT, 24, ipv6.getScopeId());
			}
		}
		return sockaddr;
	}

	/**
	 * The family a socket needs to bind to an address.
	 * @param address the address, or {@code null} for every address
	 * @return {@link NativeSocket#AF_INET} for an IPv4 address, else {@link NativeSocket#AF_INET6}
	 */
	static int familyOf(@Nullable InetAddress address) {
		return (address instanceof Inet4Address) ? NativeSocket.AF_INET : NativeSocket.AF_INET6;
	}

	/**
	 * Room for a socket address of either family, such as getsockname fills.
	 * @param arena where it lives
	 * @return the room
	 */
	static MemorySegment any(Arena arena) {
		return arena.allocate(ANY_SIZE);
	}

	/**
	 * A socket address of either family as the JDK's; an IPv4-mapped IPv6 address (a client of a dual-stack
	 * listener) comes out as the IPv4 address, as the JDK gives it.
	 * @param sockaddr the address
	 * @return the address and port
	 */
	static InetSocketAddress toSocketAddress(MemorySegment sockaddr) {
		boolean ipv4 = sockaddr.get(ValueLayout.JAVA_SHORT, 0) == NativeSocket.AF_INET;
		byte[] bytes = new byte[ipv4 ? 4 : 16];
		MemorySegment.copy(sockaddr, ValueLayout.JAVA_BYTE, ipv4 ? 4 : 8, bytes, 0, bytes.length);
		try {
			InetAddress address = InetAddress.getByAddress(bytes);
			if (address instanceof Inet6Address && !ipv4) {
				int scope = sockaddr.get(JAVA_INT, 24);
				if (scope != 0) {
					address = Inet6Address.getByAddress(null, bytes, scope);
				}
			}
			return new InetSocketAddress(address, port(sockaddr));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("The kernel gave a socket address of " + bytes.length + " bytes", ex);
		}
	}

	/**
	 * The port of a socket address of either family.
	 * @param sockaddr the address
	 * @return the port
	 */
	static int port(MemorySegment sockaddr) {
		return Short.toUnsignedInt(sockaddr.get(NETWORK_SHORT, 2));
	}

}
