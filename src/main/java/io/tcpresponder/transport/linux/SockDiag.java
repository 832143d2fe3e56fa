package io.tcpresponder.transport.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.function.Consumer;

import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.ErrnoException;
import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.TableSocket;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The port's sockets through sock_diag netlink ({@code NETLINK_SOCK_DIAG}, {@code SOCK_DIAG_BY_FAMILY}), as
 * {@code ss} reads them: the kernel walks its tables and keeps only the port's sockets, by a filter in its bytecode,
 * so that the host's other sockets cost nothing here; the replies are binary, read in place, and no object is made
 * per socket. A listener's reply tells its accept queue ({@code idiag_rqueue}), its limit ({@code idiag_wqueue}) and,
 * in {@code INET_DIAG_SKMEMINFO}, the handshakes it dropped ({@code SK_MEMINFO_DROPS}, which {@code tcp_listendrop}
 * increments beside the host's ListenDrops). A TIME_WAIT socket's timer comes in milliseconds.
 *
 * <p>
 * One netlink socket is opened per reading and closed after it: readings are seconds apart, and a socket kept open
 * would be one more thing to recover after an error.
 */
final class SockDiag implements SocketTable {

	private static final int AF_NETLINK = 16;

	private static final int SOCK_RAW = 3;

	private static final int SOCK_CLOEXEC = 0x80000;

	private static final int NETLINK_SOCK_DIAG = 4;

	private static final int IPPROTO_TCP = 6;

	private static final short SOCK_DIAG_BY_FAMILY = 20;

	private static final short NLMSG_ERROR = 2;

	private static final short NLMSG_DONE = 3;

	private static final short NLM_F_REQUEST = 0x1;

	private static final short NLM_F_DUMP = 0x300;

	private static final int NLMSG_HEADER = 16;

	private static final int INET_DIAG_REQ_BYTECODE = 1;

	private static final int INET_DIAG_SKMEMINFO = 7;

	private static final int SK_MEMINFO_DROPS = 8;

	/** Every state, {@code TCPF_ALL}. */
	private static final int ALL_STATES = 0xFFF;

	private static final byte INET_DIAG_BC_S_GE = 2;

	private static final byte INET_DIAG_BC_S_LE = 3;

	/** The request: nlmsghdr, inet_diag_req_v2, and the bytecode attribute (a header and four operations). */
	private static final int REQUEST_SIZE = NLMSG_HEADER + 56 + 4 + 16;

	/** The kernel sends a dump in messages of at most 32 KiB; a larger buffer gains nothing. */
	private static final int BUFFER_SIZE = 32 * 1024;

	private static final ValueLayout.OfInt INT = JAVA_INT.withByteAlignment(1);

	private static final ValueLayout.OfShort SHORT = JAVA_SHORT.withByteAlignment(1);

	private static final ValueLayout.OfInt NETWORK_INT = INT.withOrder(ByteOrder.BIG_ENDIAN);

	private static final ValueLayout.OfShort NETWORK_SHORT = SHORT.withOrder(ByteOrder.BIG_ENDIAN);

	private static final MethodHandle SOCKET = Libc.checkedDowncall("socket",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

	private static final MethodHandle SENDTO = Libc.checkedDowncall("sendto",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), Errno.EINTR);

	private static final MethodHandle RECV = Libc.checkedDowncall("recv",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), Errno.EINTR);

	private final Arena arena = Arena.ofAuto();

	private final MemorySegment request = this.arena.allocate(REQUEST_SIZE, 8);

	private final MemorySegment kernel = this.arena.allocate(12, 4);

	private final MemorySegment buffer = this.arena.allocate(BUFFER_SIZE, 8);

	private final Reply reply = new Reply(this.buffer);

	private int sequence;

	SockDiag() {
		// sockaddr_nl of the kernel: the family, and zeros for its pid and groups.
		this.kernel.set(SHORT, 0, (short) AF_NETLINK);
	}

	@Override
	public String name() {
		return "sock_diag";
	}

	@Override
	public int timerResolutionMillis() {
		// The kernel converts the timer's remaining ticks to milliseconds, rounding up where HZ does not divide 1000.
		return 1;
	}

	@Override
	public boolean listenerFigures() {
		return true;
	}

	@Override
	public synchronized void forEach(int port, Consumer<TableSocket> visitor) throws IOException {
		int fd = socket();
		try {
			dump(fd, NativeSocket.AF_INET, port, visitor);
			dump(fd, NativeSocket.AF_INET6, port, visitor);
		}
		finally {
			NativeSocket.close(fd);
		}
	}

	private void dump(int fd, int family, int port, Consumer<TableSocket> visitor) throws IOException {
		send(fd, family, port);
		while (true) {
			long received = receive(fd);
			long offset = 0;
			while (offset + NLMSG_HEADER <= received) {
				int length = this.buffer.get(INT, offset);
				short type = this.buffer.get(SHORT, offset + 4);
				if (length < NLMSG_HEADER || offset + length > received) {
					throw new IOException("sock_diag sent a truncated message");
				}
				if (type == NLMSG_DONE) {
					return;
				}
				if (type == NLMSG_ERROR) {
					int errno = -this.buffer.get(INT, offset + NLMSG_HEADER);
					if (errno == 0) {
						return;
					}
					throw new ErrnoException("sock_diag", errno, Libc.strerror(errno));
				}
				if (type == SOCK_DIAG_BY_FAMILY && this.reply.at(offset + NLMSG_HEADER, offset + length, port)) {
					visitor.accept(this.reply);
				}
				offset += (length + 3) & ~3;
			}
		}
	}

	/**
	 * Asks for a dump of one family's TCP sockets in every state whose local port is the port: a bytecode of
	 * "sport >= port, else reject; sport <= port, else reject", the two comparisons every kernel with sock_diag
	 * knows.
	 */
	private void send(int fd, int family, int port) throws ErrnoException {
		MemorySegment r = this.request;
		r.fill((byte) 0);
		r.set(INT, 0, REQUEST_SIZE);
		r.set(SHORT, 4, SOCK_DIAG_BY_FAMILY);
		r.set(SHORT, 6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
		r.set(INT, 8, ++this.sequence);
		// inet_diag_req_v2: family, protocol, the extensions asked for, padding, the states; its sockid stays 0.
		long req = NLMSG_HEADER;
		r.set(JAVA_BYTE, req, (byte) family);
		r.set(JAVA_BYTE, req + 1, (byte) IPPROTO_TCP);
		r.set(JAVA_BYTE, req + 2, (byte) (1 << (INET_DIAG_SKMEMINFO - 1)));
		r.set(INT, req + 4, ALL_STATES);
		long attribute = req + 56;
		r.set(SHORT, attribute, (short) (4 + 16));
		r.set(SHORT, attribute + 2, (short) INET_DIAG_REQ_BYTECODE);
		// Each operation is {code, yes, no}: yes and no are how far to jump; a jump to the end accepts the socket,
		// one 4 bytes past it rejects it. A comparison's operand is the next operation's "no".
		long code = attribute + 4;
		operation(r, code, INET_DIAG_BC_S_GE, 8, 16 + 4);
		operation(r, code + 4, (byte) 0, 0, port);
		operation(r, code + 8, INET_DIAG_BC_S_LE, 8, 8 + 4);
		operation(r, code + 12, (byte) 0, 0, port);
		try {
			long sent;
			do {
				sent = (long) SENDTO.invokeExact(Libc.state(), fd, r, (long) REQUEST_SIZE, 0, this.kernel,
						(int) this.kernel.byteSize());
			}
			while (sent < 0);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	private static void operation(MemorySegment r, long at, byte code, int yes, int no) {
		r.set(JAVA_BYTE, at, code);
		r.set(JAVA_BYTE, at + 1, (byte) yes);
		r.set(SHORT, at + 2, (short) no);
	}

	private long receive(int fd) throws ErrnoException {
		try {
			long received;
			do {
				received = (long) RECV.invokeExact(Libc.state(), fd, this.buffer, (long) BUFFER_SIZE, 0);
			}
			while (received < 0);
			return received;
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	private static int socket() throws ErrnoException {
		try {
			return (int) SOCKET.invokeExact(Libc.state(), AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	/**
	 * One {@code inet_diag_msg} of a reply, read in place in the receive buffer.
	 */
	private static final class Reply implements TableSocket {

		private final MemorySegment buffer;

		private long at;

		private long end;

		Reply(MemorySegment buffer) {
			this.buffer = buffer;
		}

		/**
		 * Points at the message at the given offset, whose attributes end at {@code end}.
		 * @return whether it is a socket of the port (the kernel's filter chose it; this checks it)
		 */
		boolean at(long at, long end, int port) {
			if (end - at < 72) {
				return false;
			}
			this.at = at;
			this.end = end;
			return (this.buffer.get(NETWORK_SHORT, at + 4) & 0xFFFF) == port;
		}

		@Override
		public int state() {
			return this.buffer.get(JAVA_BYTE, this.at + 1);
		}

		@Override
		public boolean ipv6() {
			return this.buffer.get(JAVA_BYTE, this.at) == NativeSocket.AF_INET6;
		}

		@Override
		public int addressWord(int index) {
			return this.buffer.get(NETWORK_INT, this.at + 8 + 4L * index);
		}

		@Override
		public int timer() {
			return this.buffer.get(JAVA_BYTE, this.at + 2);
		}

		@Override
		public long timerMillis() {
			return Integer.toUnsignedLong(this.buffer.get(INT, this.at + 52));
		}

		@Override
		public long receiveQueue() {
			return Integer.toUnsignedLong(this.buffer.get(INT, this.at + 56));
		}

		@Override
		public long sendQueue() {
			return Integer.toUnsignedLong(this.buffer.get(INT, this.at + 60));
		}

		@Override
		public long drops() {
			long attribute = this.at + 72;
			while (attribute + 4 <= this.end) {
				int length = this.buffer.get(SHORT, attribute) & 0xFFFF;
				int type = this.buffer.get(SHORT, attribute + 2) & 0xFFFF;
				if (length < 4) {
					break;
				}
				if (type == INET_DIAG_SKMEMINFO && length >= 4 + 4 * (SK_MEMINFO_DROPS + 1)) {
					return Integer.toUnsignedLong(this.buffer.get(INT, attribute + 4 + 4L * SK_MEMINFO_DROPS));
				}
				attribute += (length + 3) & ~3;
			}
			return -1;
		}

		@Override
		public long uid() {
			return Integer.toUnsignedLong(this.buffer.get(INT, this.at + 64));
		}

		@Override
		public long inode() {
			return Integer.toUnsignedLong(this.buffer.get(INT, this.at + 68));
		}

	}

}
