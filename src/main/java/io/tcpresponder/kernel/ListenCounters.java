package io.tcpresponder.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's listen overflow counters, from the TcpExt lines of {@code /proc/net/netstat}: a line of names and then a
 * line of values, both starting with {@code TcpExt:}.
 *
 * <p>
 * The file is a few kilobytes whatever the load, so it is read as plain lines.
 *
 * @param overflows TcpExt ListenOverflows
 * @param drops TcpExt ListenDrops
 */
record ListenCounters(long overflows, long drops) {

	static final ListenCounters NONE = new ListenCounters(0, 0);

	private static final String PREFIX = "TcpExt:";

	/**
	 * Reads the counters. A file or a counter that is missing reads as zero.
	 * @param netstat the file, {@code /proc/net/netstat}
	 * @return the counters
	 * @throws IOException if the file exists and cannot be read
	 */
	static ListenCounters read(Path netstat) throws IOException {
		List<String> lines;
		try {
			lines = Files.readAllLines(netstat);
		}
		catch (NoSuchFileException ex) {
			return NONE;
		}
		for (int i = 0; i + 1 < lines.size(); i++) {
			if (lines.get(i).startsWith(PREFIX) && lines.get(i + 1).startsWith(PREFIX)) {
				String[] names = lines.get(i).split(" ");
				String[] values = lines.get(i + 1).split(" ");
				return new ListenCounters(value(names, values, "ListenOverflows"), value(names, values, "ListenDrops"));
			}
		}
		return NONE;
	}

	private static long value(String[] names, String[] values, String name) {
		for (int i = 1; i < names.length && i < values.length; i++) {
			if (names[i].equals(name)) {
				try {
					return Long.parseLong(values[i]);
				}
				catch (NumberFormatException ex) {
					return 0;
				}
			}
		}
		return 0;
	}

}
