package io.tcpresponder.transport.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.ErrnoException;
import org.jspecify.annotations.Nullable;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The socket calls of Linux's C library on a descriptor, each through a {@linkplain Libc#checkedDowncall checked
 * handle}, so that a failed call is an {@link ErrnoException} with the call's name and errno.
 */
final class NativeSocket {

	static final int AF_INET = 2;

	static final int AF_INET6 = 10;

	private static final int SOCK_STREAM = 1;

	private static final int SOCK_CLOEXEC = 0x80000;

	static final int SOL_SOCKET = 1;

	private static final int SO_REUSEADDR = 2;

	private static final int SO_LINGER = 13;

	private static final int SO_REUSEPORT = 15;

	private static final int IPPROTO_IPV6 = 41;

	private static final int IPV6_V6ONLY = 26;

	private static final int SHUT_RD = 0;

	private static final int MSG_DONTWAIT = 0x40;

	private static final int MSG_NOSIGNAL = 0x4000;

	private static final MethodHandle SOCKET = Libc.checkedDowncall("socket",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

	private static final MethodHandle SETSOCKOPT = Libc.checkedDowncall("setsockopt",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

	private static final MethodHandle BIND = Libc.checkedDowncall("bind",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

	private static final MethodHandle LISTEN = Libc.checkedDowncall("listen",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

	private static final MethodHandle GETSOCKNAME = Libc.checkedDowncall("getsockname",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

	private static final MethodHandle ACCEPT4 = Libc.checkedDowncall("accept4",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

	private static final MethodHandle WRITE = Libc.checkedDowncall("write",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

	private static final MethodHandle SEND = Libc.checkedDowncall("send",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), Errno.EAGAIN);

	private static final MethodHandle RECV = Libc.checkedDowncall("recv",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), Errno.EAGAIN);

	private static final MethodHandle SHUTDOWN = Libc.checkedDowncall("shutdown",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

	private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

	/** SO_LINGER on with a zero timeout: close then resets the connection. */
	private static final MemorySegment LINGER_RESET = Arena.global().allocate(2 * JAVA_INT.byteSize());

	private static final MemorySegment ONE = Arena.global().allocate(JAVA_INT);

	static final MemorySegment ZERO = Arena.global().allocate(JAVA_INT);

	static {
		LINGER_RESET.set(JAVA_INT, 0, 1);
		ONE.set(JAVA_INT, 0, 1);
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
		try {
			return (int) SOCKET.invokeExact(Libc.state(), family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
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

	private static void setOption(int fd, int level, int option, boolean on) throws ErrnoException {
		setOption(fd, level, option, on ? ONE : ZERO, (int) JAVA_INT.byteSize());
	}

	static void setOption(int fd, int level, int option, MemorySegment value, int size) throws ErrnoException {
		try {
			int result = (int) SETSOCKOPT.invokeExact(Libc.state(), fd, level, option, value, size);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
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
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment sockaddr = Sockaddr.of(arena, family, address, port);
			int result = (int) BIND.invokeExact(Libc.state(), fd, sockaddr, (int) sockaddr.byteSize());
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	static void listen(int fd, int backlog) throws ErrnoException {
		try {
			int result = (int) LISTEN.invokeExact(Libc.state(), fd, backlog);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	/**
	 * The local port a socket is bound to.
	 * @param fd the socket
	 * @return the port
	 * @throws ErrnoException if the call fails
	 */
	static int localPort(int fd) throws ErrnoException {
		return localAddress(fd).getPort();
	}

	/**
	 * Room for {@link #accept} to write a peer's address in: a socket address of either family
	 * ({@link Sockaddr#toSocketAddress} reads it), then its length as a C int.
	 * @param arena where it lives
	 * @return the room
	 */
	static MemorySegment peerRoom(Arena arena) {
		return arena.allocate(Sockaddr.ANY_SIZE + JAVA_INT.byteSize(), Long.BYTES);
	}

	/**
	 * Waits for a connection and accepts it as a blocking socket, closed on exec, with its peer's address.
	 * @param fd the listening socket
	 * @param peer room for the peer's address and its length ({@link #peerRoom}), which the kernel fills
	 * @return the connection's descriptor
	 * @throws ErrnoException if the call fails; {@code EINVAL} once the socket is shut down
	 */
	static int accept(int fd, MemorySegment peer) throws ErrnoException {
		MemorySegment address = peer.asSlice(0, Sockaddr.ANY_SIZE);
		MemorySegment length = peer.asSlice(Sockaddr.ANY_SIZE, JAVA_INT.byteSize());
		length.set(JAVA_INT, 0, Sockaddr.ANY_SIZE);
		try {
			return (int) ACCEPT4.invokeExact(Libc.state(), fd, address, length, SOCK_CLOEXEC);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	/**
	 * The local address and port a socket is bound to.
	 * @param fd the socket
	 * @return the address
	 * @throws ErrnoException if the call fails
	 */
	static InetSocketAddress localAddress(int fd) throws ErrnoException {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment sockaddr = Sockaddr.any(arena);
			MemorySegment length = arena.allocate(JAVA_INT);
			length.set(JAVA_INT, 0, (int) sockaddr.byteSize());
			int result = (int) GETSOCKNAME.invokeExact(Libc.state(), fd, sockaddr, length);
			return Sockaddr.toSocketAddress(sockaddr);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	/**
	 * Writes to a blocking socket, waiting for buffer space as needed.
	 * @param fd the socket
	 * @param bytes what to write
	 * @return the bytes written
	 * @throws ErrnoException if the call fails
	 */
	static int write(int fd, MemorySegment bytes) throws ErrnoException {
		try {
			return (int) (long) WRITE.invokeExact(Libc.state(), fd, bytes, bytes.byteSize());
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	/**
	 * Writes what the socket takes now, without waiting and without SIGPIPE.
	 * @param fd the socket
	 * @param bytes what to write
	 * @return the bytes written, 0 if the socket takes nothing now
	 * @throws ErrnoException if the call fails
	 */
	static int send(int fd, MemorySegment bytes) throws ErrnoException {
		long written;
		try {
			written = (long) SEND.invokeExact(Libc.state(), fd, bytes, bytes.byteSize(), MSG_DONTWAIT | MSG_NOSIGNAL);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
		// -1: EAGAIN, the send buffer is full.
		return (int) Math.max(written, 0);
	}

	/**
	 * Reads what is there now, without waiting.
	 * @param fd the socket
	 * @param into where to read to
	 * @return the bytes read, 0 if there is nothing now, -1 at the end of stream
	 * @throws ErrnoException if the call fails
	 */
	static int receive(int fd, MemorySegment into) throws ErrnoException {
		long read;
		try {
			read = (long) RECV.invokeExact(Libc.state(), fd, into, into.byteSize(), MSG_DONTWAIT);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
		// -1: EAGAIN, nothing to read now; 0: the end of stream.
		return (read < 0) ? 0 : (read == 0) ? -1 : (int) read;
	}

	/**
	 * Shuts the receiving side of a socket down; on a listener, this wakes a thread blocked in
	 * {@link #accept(int)}, which closing the descriptor does not do on Linux.
	 * @param fd the socket
	 * @throws ErrnoException if the call fails
	 */
	static void shutdownReceiving(int fd) throws ErrnoException {
		try {
			int result = (int) SHUTDOWN.invokeExact(Libc.state(), fd, SHUT_RD);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
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
			throw Libc.unexpected(ex);
		}
	}

	/**
	 * Resets a connection: SO_LINGER on with a zero timeout, then close.
	 * @param fd the connection
	 */
	static void abort(int fd) {
		try {
			setOption(fd, SOL_SOCKET, SO_LINGER, LINGER_RESET, (int) LINGER_RESET.byteSize());
		}
		catch (ErrnoException ex) {
			// The connection is reset or closed already: closing is all that is left.
		}
		close(fd);
	}

}
