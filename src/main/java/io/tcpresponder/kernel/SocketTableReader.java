package io.tcpresponder.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Counts one port's sockets in the kernel's socket tables ({@code /proc/net/tcp} and {@code /proc/net/tcp6}).
 *
 * <p>
 * With a port in heavy use the tables are large: up to the kernel's cap on TIME_WAIT sockets
 * ({@code net.ipv4.tcp_max_tw_buckets}) they hold megabytes of text, which the kernel formats anew on every read.
 * That formatting is a floor no reader avoids, so this reader adds as little as it can on top: the bytes go into one
 * large buffer kept across reads, and only the fields needed are parsed, in place, without a string, a split or a
 * regular expression per line. The project would rather use a well-kept library, but OSHI
 * ({@code InternetProtocolStats.getConnections()}) costs too much here (see {@link KernelTcpView}).
 *
 * <p>
 * Not thread-safe: its buffer is reused by every read.
 */
final class SocketTableReader {

	/** Large enough for well over a thousand lines per read call, so a big table takes few system calls. */
	static final int BUFFER_SIZE = 256 * 1024;

	private final byte[] buffer;

	SocketTableReader() {
		this(BUFFER_SIZE);
	}

	SocketTableReader(int bufferSize) {
		this.buffer = new byte[bufferSize];
	}

	/**
	 * Adds the sockets of a table whose local port is the given port to the tally. A table that does not exist (IPv6
	 * turned off) adds nothing.
	 * @param table the table, such as {@code /proc/net/tcp6}
	 * @param port the local port
	 * @param tally where the counts are added
	 * @throws IOException if the table cannot be read
	 */
	void count(Path table, int port, Tally tally) throws IOException {
		InputStream in;
		try {
			in = Files.newInputStream(table);
		}
		catch (NoSuchFileException ex) {
			return;
		}
		try (in) {
			count(in, port, tally);
		}
	}

	void count(InputStream in, int port, Tally tally) throws IOException {
		read(in, (buf, from, to) -> parseLine(buf, from, to, port, tally));
	}

	/**
	 * Hands each socket of a table whose local port is the given port to the visitor, with the fields a bind's
	 * verdict needs. A table that does not exist (IPv6 turned off) has none.
	 * @param table the table, {@code /proc/net/tcp} or {@code /proc/net/tcp6}
	 * @param port the local port
	 * @param visitor told each socket; the {@link Socket} is reused for the next line
	 * @throws IOException if the table cannot be read
	 */
	void forEach(Path table, int port, Consumer<Socket> visitor) throws IOException {
		InputStream in;
		try {
			in = Files.newInputStream(table);
		}
		catch (NoSuchFileException ex) {
			return;
		}
		Socket socket = new Socket(table.getFileName().toString().endsWith("6"));
		try (in) {
			read(in, (buf, from, to) -> {
				if (socket.parse(buf, from, to, port)) {
					visitor.accept(socket);
				}
			});
		}
	}

	private void read(InputStream in, LineHandler handler) throws IOException {
		byte[] buf = this.buffer;
		int filled = 0;
		boolean header = true;
		while (true) {
			int read = in.read(buf, filled, buf.length - filled);
			if (read < 0) {
				if (filled > 0 && !header) {
					handler.line(buf, 0, filled);
				}
				return;
			}
			filled += read;
			int lineStart = 0;
			for (int i = 0; i < filled; i++) {
				if (buf[i] == '\n') {
					if (header) {
						header = false;
					}
					else {
						handler.line(buf, lineStart, i);
					}
					lineStart = i + 1;
				}
			}
			if (lineStart == 0 && filled == buf.length) {
				throw new IOException("A line of the socket table is longer than " + buf.length + " bytes");
			}
			// The start of a line cut by the end of the buffer moves to the front, to be completed by the next read.
			System.arraycopy(buf, lineStart, buf, 0, filled - lineStart);
			filled -= lineStart;
		}
	}

	/**
	 * Parses the fields of one line that the counts need:
	 * {@code "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000005 ..."}, that is the slot, the local address and
	 * port, the remote address and port, the state, and for a listener tx_queue:rx_queue. A line that does not read
	 * so is skipped.
	 */
	private static void parseLine(byte[] buf, int from, int to, int port, Tally tally) {
		int i = skipPast(buf, from, to, ':'); // the slot number
		i = skipPast(buf, i, to, ':'); // the local address, IPv4 or IPv6
		if (i < 0) {
			return;
		}
		int end = skipHex(buf, i, to);
		if (end == i || parseHex(buf, i, end) != port) {
			return;
		}
		i = skipSpaces(buf, end, to);
		i = skipField(buf, i, to); // the remote address and port
		i = skipSpaces(buf, i, to);
		end = skipHex(buf, i, to);
		if (end == i) {
			return;
		}
		TcpState state = TcpState.ofCode((int) parseHex(buf, i, end));
		if (state == null) {
			return;
		}
		tally.add(state);
		if (state == TcpState.LISTEN) {
			// For a listener rx_queue is its accept queue; tx_queue is always 0 (see KernelTcpView).
			i = skipSpaces(buf, end, to);
			i = skipPast(buf, i, to, ':');
			if (i < 0) {
				return;
			}
			tally.addAcceptQueue(parseHex(buf, i, skipHex(buf, i, to)));
		}
	}

	private static int skipPast(byte[] buf, int from, int to, char c) {
		if (from < 0) {
			return -1;
		}
		for (int i = from; i < to; i++) {
			if (buf[i] == c) {
				return i + 1;
			}
		}
		return -1;
	}

	private static int skipSpaces(byte[] buf, int from, int to) {
		int i = from;
		while (i < to && buf[i] == ' ') {
			i++;
		}
		return i;
	}

	private static int skipField(byte[] buf, int from, int to) {
		int i = from;
		while (i < to && buf[i] != ' ') {
			i++;
		}
		return i;
	}

	private static int skipHex(byte[] buf, int from, int to) {
		int i = from;
		while (i < to && hexValue(buf[i]) >= 0) {
			i++;
		}
		return i;
	}

	private static long parseHex(byte[] buf, int from, int to) {
		long value = 0;
		for (int i = from; i < to; i++) {
			value = (value << 4) | hexValue(buf[i]);
		}
		return value;
	}

	private static int hexValue(byte b) {
		if (b >= '0' && b <= '9') {
			return b - '0';
		}
		if (b >= 'A' && b <= 'F') {
			return b - 'A' + 10;
		}
		if (b >= 'a' && b <= 'f') {
			return b - 'a' + 10;
		}
		return -1;
	}

	private interface LineHandler {

		void line(byte[] buf, int from, int to);

	}

	/**
	 * One line of a socket table, the fields of
	 * {@code "   1: 0100007F:1F90 0100007F:B31A 06 00000000:00000000 03:0000176F 00000000     0        0 0 3 ..."}
	 * that a bind's verdict needs: the local address as the table prints it (each 32-bit word of the address in the
	 * host's byte order), the state, the timer and the clock ticks until it fires, the owner's uid and the inode.
	 * Reused from line to line.
	 */
	static final class Socket {

		private final boolean ipv6;

		private final int[] address = new int[4];

		private int state;

		private int timer;

		private long timerTicks;

		private long uid;

		private long inode;

		Socket(boolean ipv6) {
			this.ipv6 = ipv6;
		}

		/** Whether the socket is an IPv6 one, from {@code tcp6} (an IPv4 client of a dual-stack listener too). */
		boolean ipv6() {
			return this.ipv6;
		}

		/** The local address: one word for IPv4, four for IPv6, each as the table prints it. */
		int[] address() {
			return this.address;
		}

		/** The state's code, as {@link TcpState} has them. */
		int state() {
			return this.state;
		}

		/** Which timer runs: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero window probe. */
		int timer() {
			return this.timer;
		}

		/** Clock ticks (USER_HZ, 100 per second) until the timer fires, truncated; 0 once it is due. */
		long timerTicks() {
			return this.timerTicks;
		}

		long uid() {
			return this.uid;
		}

		/** The socket's inode, 0 for a TIME_WAIT socket (which no process holds). */
		long inode() {
			return this.inode;
		}

		boolean parse(byte[] buf, int from, int to, int port) {
			int i = skipPast(buf, from, to, ':'); // the slot number
			i = skipSpaces(buf, Math.max(i, 0), to);
			int words = this.ipv6 ? 4 : 1;
			for (int w = 0; w < words; w++) {
				if (i + 8 > to) {
					return false;
				}
				this.address[w] = (int) parseHex(buf, i, i + 8);
				i += 8;
			}
			if (i >= to || buf[i] != ':') {
				return false;
			}
			i++;
			int end = skipHex(buf, i, to);
			if (end == i || parseHex(buf, i, end) != port) {
				return false;
			}
			i = skipSpaces(buf, end, to);
			i = skipField(buf, i, to); // the remote address and port
			i = skipSpaces(buf, i, to);
			end = skipHex(buf, i, to);
			if (end == i) {
				return false;
			}
			this.state = (int) parseHex(buf, i, end);
			i = skipField(buf, skipSpaces(buf, end, to), to); // tx_queue:rx_queue
			i = skipSpaces(buf, i, to);
			end = skipHex(buf, i, to);
			this.timer = (int) parseHex(buf, i, end);
			i = skipPast(buf, end, to, ':');
			if (i < 0) {
				return false;
			}
			end = skipHex(buf, i, to);
			this.timerTicks = parseHex(buf, i, end);
			i = skipField(buf, skipSpaces(buf, end, to), to); // retrnsmt
			i = skipSpaces(buf, i, to);
			end = skipField(buf, i, to);
			this.uid = parseDecimal(buf, i, end);
			i = skipField(buf, skipSpaces(buf, end, to), to); // timeout
			i = skipSpaces(buf, i, to);
			end = skipField(buf, i, to);
			this.inode = parseDecimal(buf, i, end);
			return true;
		}

	}

	private static long parseDecimal(byte[] buf, int from, int to) {
		long value = 0;
		for (int i = from; i < to && buf[i] >= '0' && buf[i] <= '9'; i++) {
			value = value * 10 + (buf[i] - '0');
		}
		return value;
	}

	/**
	 * The counts of one port, added up over the tables.
	 */
	static final class Tally {

		private final long[] byState = new long[TcpState.values().length];

		private long acceptQueueDepth;

		void add(TcpState state) {
			this.byState[state.ordinal()]++;
		}

		void addAcceptQueue(long depth) {
			this.acceptQueueDepth += depth;
		}

		long count(TcpState state) {
			return this.byState[state.ordinal()];
		}

		long acceptQueueDepth() {
			return this.acceptQueueDepth;
		}

	}

}
