package io.tcpresponder.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.TableSocket;

/**
 * The port's sockets in the kernel's socket tables as text, {@code /proc/net/tcp} and {@code /proc/net/tcp6}: where
 * sock_diag netlink cannot be opened (the JVM without native access).
 *
 * <p>
 * With a port in heavy use the tables are large: up to the kernel's cap on TIME_WAIT sockets
 * ({@code net.ipv4.tcp_max_tw_buckets}) they hold megabytes of text, which the kernel formats anew on every read,
 * for every socket of the host whatever its port. That formatting is a floor no reader of the text avoids, so this
 * reader adds as little as it can on top: the bytes go into one large buffer kept across reads, and only the fields
 * needed are parsed, in place, without a string, a split or a regular expression per line. The project would rather
 * use a well-kept library, but OSHI ({@code InternetProtocolStats.getConnections()}) costs too much here (see
 * {@link KernelTcpView}).
 *
 * <p>
 * The text does not tell a listener's accept queue limit or its drops, and tells a timer in clock ticks of
 * {@code USER_HZ} (10 ms), truncated.
 *
 * <p>
 * Its buffer is reused by every read, one at a time.
 */
public final class ProcSocketTable implements SocketTable {

	/** Large enough for well over a thousand lines per read call, so a big table takes few system calls. */
	static final int BUFFER_SIZE = 256 * 1024;

	/** The tables' timers are in clock ticks of {@code USER_HZ}, 100 a second whatever the kernel's HZ. */
	private static final int TICK_MILLIS = 10;

	private static final int LISTEN = 0x0A;

	private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

	private final byte[] buffer;

	private final Path tcp;

	private final Path tcp6;

	/**
	 * The tables of this host's {@code /proc}.
	 */
	public ProcSocketTable() {
		this(Path.of("/proc"));
	}

	ProcSocketTable(Path proc) {
		this(proc, BUFFER_SIZE);
	}

	ProcSocketTable(Path proc, int bufferSize) {
		this.buffer = new byte[bufferSize];
		this.tcp = proc.resolve("net/tcp");
		this.tcp6 = proc.resolve("net/tcp6");
	}

	/**
	 * Whether the tables can be read here (on Linux).
	 * @return whether they can
	 */
	public boolean available() {
		return Files.isReadable(this.tcp);
	}

	@Override
	public String name() {
		return "/proc/net/tcp";
	}

	@Override
	public int timerResolutionMillis() {
		return TICK_MILLIS;
	}

	@Override
	public boolean listenerFigures() {
		return false;
	}

	@Override
	public synchronized void forEach(int port, Consumer<TableSocket> visitor) throws IOException {
		forEach(this.tcp, port, visitor);
		forEach(this.tcp6, port, visitor);
	}

	/**
	 * Hands each socket of a table whose local port is the given port to the visitor. A table that does not exist
	 * (IPv6 turned off) has none.
	 */
	void forEach(Path table, int port, Consumer<TableSocket> visitor) throws IOException {
		InputStream in;
		try {
			in = Files.newInputStream(table);
		}
		catch (NoSuchFileException ex) {
			return;
		}
		try (in) {
			forEach(in, table.getFileName().toString().endsWith("6"), port, visitor);
		}
	}

	void forEach(InputStream in, boolean ipv6, int port, Consumer<TableSocket> visitor) throws IOException {
		Line socket = new Line(ipv6);
		read(in, (buf, from, to) -> {
			if (socket.parse(buf, from, to, port)) {
				visitor.accept(socket);
			}
		});
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
	 * {@code "   1: 0100007F:1F90 0100007F:B31A 06 00000000:00000000 03:0000176F 00000000     0        0 0 3 ..."}:
	 * the local address (each 32-bit word of the address as the host stores it), the state, tx_queue:rx_queue, the
	 * timer and the clock ticks until it fires, the owner's uid and the inode. Reused from line to line.
	 */
	private static final class Line implements TableSocket {

		private final boolean ipv6;

		private final int[] address = new int[4];

		private int state;

		private long sendQueue;

		private long receiveQueue;

		private int timer;

		private long timerTicks;

		private long uid;

		private long inode;

		Line(boolean ipv6) {
			this.ipv6 = ipv6;
		}

		@Override
		public boolean ipv6() {
			return this.ipv6;
		}

		@Override
		public int addressWord(int index) {
			int word = this.address[index];
			return LITTLE_ENDIAN ? Integer.reverseBytes(word) : word;
		}

		@Override
		public int state() {
			return this.state;
		}

		@Override
		public int timer() {
			return this.timer;
		}

		@Override
		public long timerMillis() {
			return this.timerTicks * TICK_MILLIS;
		}

		@Override
		public long receiveQueue() {
			return this.receiveQueue;
		}

		@Override
		public long sendQueue() {
			// For a listener tx_queue is always 0: the table does not tell its limit.
			return (this.state == LISTEN) ? -1 : this.sendQueue;
		}

		@Override
		public long drops() {
			return -1;
		}

		@Override
		public long uid() {
			return this.uid;
		}

		@Override
		public long inode() {
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
			this.sendQueue = 0;
			this.receiveQueue = 0;
			this.timer = 0;
			this.timerTicks = 0;
			this.uid = 0;
			this.inode = 0;
			parseRest(buf, end, to);
			return true;
		}

		/**
		 * The fields after the state, as far as the line has them: a line cut short still counts by its state.
		 */
		private void parseRest(byte[] buf, int from, int to) {
			int i = skipSpaces(buf, from, to);
			int end = skipHex(buf, i, to);
			this.sendQueue = parseHex(buf, i, end);
			i = skipPast(buf, end, to, ':');
			if (i < 0) {
				return;
			}
			end = skipHex(buf, i, to);
			this.receiveQueue = parseHex(buf, i, end);
			i = skipSpaces(buf, end, to);
			end = skipHex(buf, i, to);
			this.timer = (int) parseHex(buf, i, end);
			i = skipPast(buf, end, to, ':');
			if (i < 0) {
				return;
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
		}

	}

	private static long parseDecimal(byte[] buf, int from, int to) {
		long value = 0;
		for (int i = from; i < to && buf[i] >= '0' && buf[i] <= '9'; i++) {
			value = value * 10 + (buf[i] - '0');
		}
		return value;
	}

}
