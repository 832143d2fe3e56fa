package io.tcpresponder.transport.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * How many connection requests a listening socket holds: handshakes in progress, and connections that completed
 * theirs and wait in its accept queue. Each request takes a reference on its listener, and the kernel's socket
 * tables ({@code /proc/net/tcp} and {@code tcp6}) show a listener's reference count: 1 when it holds none. Nothing
 * else reports the handshakes of one listener (sock_diag and TCP_INFO give its accept queue only).
 */
final class ListenerRequests {

	private static final Path[] TABLES = { Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6") };

	private static final String LISTEN = "0A";

	private ListenerRequests() {
	}

	/**
	 * The connection requests a listening socket holds.
	 * @param fd the socket's descriptor in this process
	 * @return the count, or empty if the tables cannot be read or do not show the socket listening
	 */
	static OptionalInt of(int fd) {
		String inode;
		try {
			// "socket:[inode]"
			String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
			inode = link.substring(link.indexOf('[') + 1, link.length() - 1);
		}
		catch (IOException | RuntimeException ex) {
			return OptionalInt.empty();
		}
		for (Path table : TABLES) {
			OptionalInt references = references(table, inode);
			if (references.isPresent()) {
				return OptionalInt.of(references.getAsInt() - 1);
			}
		}
		return OptionalInt.empty();
	}

	/**
	 * Reads the listeners of a table, which the kernel lists first, and stops at the first other line: a port with
	 * many connections in TIME_WAIT makes the rest of the table long.
	 */
	private static OptionalInt references(Path table, String inode) {
		try (BufferedReader reader = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
			reader.readLine();
			for (String line; (line = reader.readLine()) != null;) {
				// sl local remote st tx:rx tr:when retrnsmt uid timeout inode refcount ...
				String[] fields = line.trim().split("\\s+");
				if (fields.length < 11 || !LISTEN.equals(fields[3])) {
					break;
				}
				if (inode.equals(fields[9])) {
					return OptionalInt.of(Integer.parseInt(fields[10]));
				}
			}
		}
		catch (NoSuchFileException ex) {
			// No IPv6 on this host.
		}
		catch (IOException | RuntimeException ex) {
			return OptionalInt.empty();
		}
		return OptionalInt.empty();
	}

}
