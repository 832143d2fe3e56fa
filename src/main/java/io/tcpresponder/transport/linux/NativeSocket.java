package io.tcpresponder.transport.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;

import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.ErrnoException;
import org.jspecify.annotations.Nullable;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The socket calls of Linux's C library on a descriptor, each a thin wrapper that turns a failed call into an
 * {@link ErrnoException} with the call's errno.
 */
final class NativeSocket {

	static final int AF_INET = 2;

	static final int AF_INET6 = 10;

	private static final int SOCK_STREAM = 1;

	private static final int SOCK_CLOEXEC = 0x80000;

	private static final int SOL_SOCKET = 1;

	private static final int SO_REUSEADDR = 2;

	private static final int SO_LINGER = 13;

	private static final int SO_REUSEPORT = 15;

	private static final int IPPROTO_IPV6 = 41;

	private static final int IPV6_V6ONLY = 26;

	private static final int SO_ATTACH_REUSEPORT_CBPF = 51;

	private static final int SO_DETACH_REUSEPORT_BPF = 68;

	private static final int SHUT_RD = 0;

	private static final int MSG_DONTWAIT = 0x40;

	private static final int MSG_NOSIGNAL = 0x4000;

	private static final int SOCKADDR_IN_SIZE = 16;

	private static final int SOCKADDR_IN6_SIZE = 28;

	private static final ValueLayout.OfShort NETWORK_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED
		.withOrder(ByteOrder.BIG_ENDIAN);

	private static final MethodHandle SOCKET = Libc.downcallCapturingErrno("socket",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

	private static final MethodHandle SETSOCKOPT = Libc.downcallCapturingErrno("setsockopt",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

	private static final MethodHandle BIND = Libc.downcallCapturingErrno("bind",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

	private static final MethodHandle LISTEN = Libc.downcallCapturingErrno("listen",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

	private static final MethodHandle GETSOCKNAME = Libc.downcallCapturingErrno("getsockname",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

	private static final MethodHandle ACCEPT4 = Libc.downcallCapturingErrno("accept4",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

	private static final MethodHandle WRITE = Libc.downcallCapturingErrno("write",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

	private static final MethodHandle SEND = Libc.downcallCapturingErrno("send",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

	private static final MethodHandle RECV = Libc.downcallCapturingErrno("recv",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

	private static final MethodHandle SHUTDOWN = Libc.downcallCapturingErrno("shutdown",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

	private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

	/** SO_LINGER on with a zero timeout: close then resets the connection. */
	private static final MemorySegment LINGER_RESET = Arena.global().allocate(2 * JAVA_INT.byteSize());

	private static final MemorySegment ONE = Arena.global().allocate(JAVA_INT);

	private static final MemorySegment ZERO = Arena.global().allocate(JAVA_INT);

	/**
	 * A classic BPF program for an SO_REUSEPORT group, {@code struct sock_fprog} of one {@code struct sock_filter}:
	 * {@code BPF_RET | BPF_K} 1, the group's second listener. Where the group has no second listener, the kernel
	 * chooses by hash as it does without a program.
	 */
	private static final MemorySegment SECOND_OF_GROUP = Arena.global().allocate(16, 8);

	static {
		LINGER_RESET.set(JAVA_INT, 0, 1);
		ONE.set(JAVA_INT, 0, 1);
		MemorySegment returnOne = Arena.global().allocate(8, 8);
		returnOne.set(ValueLayout.JAVA_SHORT, 0, (short) 0x06);
		returnOne.set(JAVA_INT, 4, 1);
		SECOND_OF_GROUP.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
		SECOND_OF_GROUP.set(ADDRESS, 8, returnOne);
	}

	private NativeSocket() {
	}

	/**
	 * Opens a TCP socket, closed on exec.
	 * @param family {@link #AF_INET} or {@link #AF_INET6}
	 * @return the descriptor
	 * @throws ErrnoException if the call fails
	 */
	static int socket(int family) throws ErrnoException {
		MemorySegment state = Libc.state();
		int fd;
		try {
			fd = (int) SOCKET.invokeExact(state, family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		return check(fd, "socket", state);
	}

	static void setReuseAddress(int fd, boolean on) throws ErrnoException {
		setOption(fd, SOL_SOCKET, SO_REUSEADDR, on);
	}

	static void setReusePort(int fd, boolean on) throws ErrnoException {
		setOption(fd, SOL_SOCKET, SO_REUSEPORT, on);
	}

	/**
	 * Sets IPV6_V6ONLY: on, an IPv6 socket takes IPv6 connections only; off, IPv4 ones too (as IPv4-mapped
	 * addresses), as the JDK's sockets do. Set explicitly either way, since the default is the host's
	 * {@code net.ipv6.bindv6only}.
	 * @param fd an {@link #AF_INET6} socket
	 * @param on whether the socket takes IPv6 connections only
	 * @throws ErrnoException if the call fails
	 */
	static void setIpv6Only(int fd, boolean on) throws ErrnoException {
		setOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, on);
	}

	/**
	 * Sends every new connection of a listener's SO_REUSEPORT group to the group's second listener, the one that
	 * joined second (SO_ATTACH_REUSEPORT_CBPF, for the whole group).
	 * @param fd a listener of the group
	 * @throws ErrnoException if the call fails
	 */
	static void steerGroupToSecond(int fd) throws ErrnoException {
		setOption(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, SECOND_OF_GROUP, (int) SECOND_OF_GROUP.byteSize());
	}

	/**
	 * Lets the kernel choose among a listener's SO_REUSEPORT group by hash again (SO_DETACH_REUSEPORT_BPF).
	 * @param fd a listener of the group
	 * @throws ErrnoException if the call fails
	 */
	static void stopSteeringGroup(int fd) throws ErrnoException {
		setOption(fd, SOL_SOCKET, SO_DETACH_REUSEPORT_BPF, ZERO, (int) JAVA_INT.byteSize());
	}

	private static void setOption(int fd, int level, int option, boolean on) throws ErrnoException {
		setOption(fd, level, option, on ? ONE : ZERO, (int) JAVA_INT.byteSize());
	}

	private static void setOption(int fd, int level, int option, MemorySegment value, int size) throws ErrnoException {
		MemorySegment state = Libc.state();
		int result;
		try {
			result = (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, size);
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		check(result, "setsockopt", state);
	}

	/**
	 * Binds to an address and port.
	 * @param fd the socket
	 * @param family the socket's family
	 * @param address the address, or {@code null} for the wildcard address of the family
	 * @param port the port, 0 for any free port
	 * @throws ErrnoException if the call fails
	 */
	static void bind(int fd, int family, @Nullable InetAddress address, int port) throws ErrnoException {
		MemorySegment state = Libc.state();
		int result;
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment sockaddr = sockaddr(arena, family, address, port);
			result = (int) BIND.invokeExact(state, fd, sockaddr, (int) sockaddr.byteSize());
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		check(result, "bind", state);
	}

	private static MemorySegment sockaddr(Arena arena, int family, @Nullable InetAddress address, int port) {
		MemorySegment sockaddr = arena.allocate((family == AF_INET) ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE);
		sockaddr.set(ValueLayout.JAVA_SHORT, 0, (short) family);
		sockaddr.set(NETWORK_SHORT, 2, (short) port);
		if (address != null) {
			byte[] bytes = address.getAddress();
			MemorySegment.copy(bytes, 0, sockaddr, ValueLayout.JAVA_BYTE, (family == AF_INET) ? 4 : 8, bytes.length);
			if (address instanceof Inet6Address ipv6) {
				sockaddr.set(JAVA_INT, 24, ipv6.getScopeId());
			}
		}
		return sockaddr;
	}

	/**
	 * The family a socket needs to bind to an address.
	 * @param address the address, or {@code null} for every address
	 * @return {@link #AF_INET} for an IPv4 address, else {@link #AF_INET6}
	 */
	static int familyOf(@Nullable InetAddress address) {
		return (address instanceof Inet4Address) ? AF_INET : AF_INET6;
	}

	static void listen(int fd, int backlog) throws ErrnoException {
		MemorySegment state = Libc.state();
		int result;
		try {
			result = (int) LISTEN.invokeExact(state, fd, backlog);
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		check(result, "listen", state);
	}

	/**
	 * The local port a socket is bound to.
	 * @param fd the socket
	 * @return the port
	 * @throws ErrnoException if the call fails
	 */
	static int localPort(int fd) throws ErrnoException {
		MemorySegment state = Libc.state();
		int result;
		int port;
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment sockaddr = arena.allocate(SOCKADDR_IN6_SIZE);
			MemorySegment length = arena.allocate(JAVA_INT);
			length.set(JAVA_INT, 0, SOCKADDR_IN6_SIZE);
			result = (int) GETSOCKNAME.invokeExact(state, fd, sockaddr, length);
			port = Short.toUnsignedInt(sockaddr.get(NETWORK_SHORT, 2));
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		check(result, "getsockname", state);
		return port;
	}

	/**
	 * Waits for a connection and accepts it as a blocking socket, closed on exec, without its peer's address.
	 * @param fd the listening socket
	 * @return the connection's descriptor
	 * @throws ErrnoException if the call fails; {@code EINVAL} once the socket is shut down
	 */
	static int accept(int fd) throws ErrnoException {
		MemorySegment state = Libc.state();
		int connection;
		try {
			connection = (int) ACCEPT4.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		return check(connection, "accept4", state);
	}

	/**
	 * Writes to a blocking socket, waiting for buffer space as needed.
	 * @param fd the socket
	 * @param bytes what to write
	 * @return the bytes written
	 * @throws ErrnoException if the call fails
	 */
	static int write(int fd, MemorySegment bytes) throws ErrnoException {
		MemorySegment state = Libc.state();
		long written;
		try {
			written = (long) WRITE.invokeExact(state, fd, bytes, bytes.byteSize());
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		return (int) check(written, "write", state);
	}

	/**
	 * Writes what the socket takes now, without waiting and without SIGPIPE.
	 * @param fd the socket
	 * @param bytes what to write
	 * @return the bytes written, 0 if the socket takes nothing now
	 * @throws ErrnoException if the call fails
	 */
	static int send(int fd, MemorySegment bytes) throws ErrnoException {
		MemorySegment state = Libc.state();
		long written;
		try {
			written = (long) SEND.invokeExact(state, fd, bytes, bytes.byteSize(), MSG_DONTWAIT | MSG_NOSIGNAL);
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		if (written < 0 && Libc.errno(state) == Errno.EAGAIN.number()) {
			return 0;
		}
		return (int) check(written, "send", state);
	}

	/**
	 * Reads what is there now, without waiting.
	 * @param fd the socket
	 * @param into where to read to
	 * @return the bytes read, 0 if there is nothing now, -1 at the end of stream
	 * @throws ErrnoException if the call fails
	 */
	static int receive(int fd, MemorySegment into) throws ErrnoException {
		MemorySegment state = Libc.state();
		long read;
		try {
			read = (long) RECV.invokeExact(state, fd, into, into.byteSize(), MSG_DONTWAIT);
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		if (read < 0 && Libc.errno(state) == Errno.EAGAIN.number()) {
			return 0;
		}
		return (read == 0) ? -1 : (int) check(read, "recv", state);
	}

	/**
	 * Shuts the receiving side of a socket down; on a listener, this wakes a thread blocked in
	 * {@link #accept(int)}, which closing the descriptor does not do on Linux.
	 * @param fd the socket
	 * @throws ErrnoException if the call fails
	 */
	static void shutdownReceiving(int fd) throws ErrnoException {
		MemorySegment state = Libc.state();
		int result;
		try {
			result = (int) SHUTDOWN.invokeExact(state, fd, SHUT_RD);
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		check(result, "shutdown", state);
	}

	/**
	 * Closes a descriptor. Linux releases it whatever close returns, so there is nothing to retry or report.
	 * @param fd the descriptor
	 */
	static void close(int fd) {
		try {
			int result = (int) CLOSE.invokeExact(fd);
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
	}

	/**
	 * Resets a connection: SO_LINGER on with a zero timeout, then close.
	 * @param fd the connection
	 */
	static void abort(int fd) {
		try {
			int result = (int) SETSOCKOPT.invokeExact(Libc.state(), fd, SOL_SOCKET, SO_LINGER, LINGER_RESET,
					(int) LINGER_RESET.byteSize());
		}
		catch (Throwable ex) {
			throw failedCall(ex);
		}
		// A failed setsockopt means the connection is reset or closed already: closing is all that is left.
		close(fd);
	}

	private static int check(int result, String call, MemorySegment state) throws ErrnoException {
		if (result < 0) {
			throw Libc.error(call, Libc.errno(state));
		}
		return result;
	}

	private static long check(long result, String call, MemorySegment state) throws ErrnoException {
		if (result < 0) {
			throw Libc.error(call, Libc.errno(state));
		}
		return result;
	}

	static IllegalStateException failedCall(Throwable ex) {
		return new IllegalStateException("A native call failed in the Java runtime", ex);
	}

}
