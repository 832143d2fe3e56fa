package io.tcpresponder.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
		byte[] buf = this.buffer;
		int filled = 0;
		boolean header = true;
		while (true) {
			int read = in.read(buf, filled, buf.length - filled);
			if (read < 0) {
				if (filled > 0 && !header) {
					parseLine(buf, 0, filled, port, tally);
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
						parseLine(buf, lineStart, i, port, tally);
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
