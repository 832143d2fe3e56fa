package io.tcpresponder.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The kernel's table of TCP sockets, an independent witness of what the responder did to its port, read as an
 * operator would: counts from {@code /proc/net/tcp} and {@code /proc/net/tcp6} (what {@code netstat} reads), the
 * listeners' addresses with {@code ss} from iproute2.
 * <p>
 * Counts are read in this process, not by starting {@code ss}: tests poll them from several threads while others
 * close and bind listeners, and a process the JVM starts holds a copy of every descriptor the JVM has open until it
 * has closed them. The JDK opens its sockets without close-on-exec, so such a copy keeps a NIO listener listening
 * after the responder closed it, and a restart's bind in another thread meets it ({@code EADDRINUSE} from a
 * listener). Only {@code ss} tells a {@code ::} listener with IPV6_V6ONLY from a dual-stack one, which
 * {@link #listening(int)} needs; it is called where no other thread binds.
 */
public final class KernelSockets {

	private static final Path SS = Path.of("/usr/bin/ss");

	private static final Path NETSTAT = Path.of("/proc/net/netstat");

	private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

	// Columns of the tables: sl, local address:port, remote address:port, state, ...; ports and states in hexadecimal.
	private static final int LOCAL_ADDRESS = 1;

	private static final int REMOTE_ADDRESS = 2;

	private static final String TIME_WAIT_OVERFLOW = "TCPTimeWaitOverflow";

	private KernelSockets() {
	}

	/**
	 * Skips the calling test where {@code ss} is missing, except on CI, where it must be installed.
	 */
	public static void assumeAvailable() {
		Tools.assumeInstalled(SS, "iproute2");
	}

	/**
	 * Counts the sockets in a state whose local port is the given one: the server's side of its connections.
	 * @param state a state as ss names it: {@code established}, {@code time-wait} or {@code listening}
	 * @param port the local port
	 * @return the number of such sockets
	 */
	public static long count(String state, int port) {
		return count(state, LOCAL_ADDRESS, port);
	}

	/**
	 * Counts the sockets in a state whose remote port is the given one: the clients' side of their connections.
	 * @param state a state as ss names it: {@code established}, {@code time-wait} or {@code listening}
	 * @param port the remote port
	 * @return the number of such sockets
	 */
	public static long countToPort(String state, int port) {
		return count(state, REMOTE_ADDRESS, port);
	}

	/**
	 * Reads a counter of the host's TCP stack, from the TcpExt lines of {@code /proc/net/netstat}.
	 * @param name the counter, such as {@code ListenOverflows}
	 * @return its value, or 0 where the file or the counter does not exist
	 */
	public static long tcpExtCounter(String name) {
		List<String> lines;
		try {
			lines = Files.readAllLines(NETSTAT);
		}
		catch (NoSuchFileException ex) {
			return 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		for (int i = 0; i + 1 < lines.size(); i++) {
			if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
				List<String> names = List.of(lines.get(i).split(" "));
				int at = names.indexOf(name);
				return (at > 0) ? Long.parseLong(lines.get(i + 1).split(" ")[at]) : 0;
			}
		}
		return 0;
	}

	/**
	 * Starts watching the host's TIME_WAIT table, before a test makes the connections whose TIME_WAIT sockets it
	 * counts.
	 * @return the watch
	 */
	public static TimeWaitWatch watchTimeWait() {
		return new TimeWaitWatch(tcpExtCounter(TIME_WAIT_OVERFLOW));
	}

	/**
	 * The local addresses of the listeners on a port, as {@code ss} writes them: {@code 127.0.0.1:9000} for an IPv4
	 * socket, {@code [::ffff:127.0.0.1]:9000} for the same address on an IPv6 (dual-stack) socket.
	 * @param port the port
	 * @return the local address and port of each listener
	 */
	public static List<String> listening(int port) {
		// With a state filter, ss leaves out the State column: Recv-Q, Send-Q, Local Address:Port, Peer Address:Port.
		return ss("state", "listening", "sport", "=", ":" + port).stream()
			.map((line) -> line.strip().split("\\s+")[2])
			.toList();
	}

	private static long count(String state, int addressColumn, int port) {
		String code = switch (state) {
			case "established" -> "01";
			case "time-wait" -> "06";
			case "listening" -> "0A";
			default -> throw new IllegalArgumentException("no state code known for " + state);
		};
		String portSuffix = ":" + String.format(Locale.ROOT, "%04X", port);
		long count = 0;
		for (Path table : TABLES) {
			try (Stream<String> lines = Files.lines(table)) {
				count += lines.skip(1)
					.map((line) -> line.strip().split("\\s+"))
					.filter((fields) -> fields.length > 3)
					.filter((fields) -> fields[3].equals(code) && fields[addressColumn].endsWith(portSuffix))
					.count();
			}
			catch (NoSuchFileException ex) {
				// No IPv6 in this kernel: no tcp6 table.
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return count;
	}

	private static List<String> ss(String... filter) {
		List<String> command = new ArrayList<>(List.of(SS.toString(), "-H", "-t", "-a", "-n"));
		command.addAll(List.of(filter));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("ss failed: " + out);
			}
			return out.lines().filter((line) -> !line.isBlank()).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits for TIME_WAIT sockets, telling a responder that left none from a host that could not keep them: the
	 * kernel creates no TIME_WAIT socket while the host's table is full ({@code net.ipv4.tcp_max_tw_buckets}, which
	 * other programs on a shared machine may fill) and counts each one it drops in TcpExt TCPTimeWaitOverflow.
	 */
	public static final class TimeWaitWatch {

		private final long overflowsBefore;

		private TimeWaitWatch(long overflowsBefore) {
			this.overflowsBefore = overflowsBefore;
		}

		/**
		 * Waits until a count of TIME_WAIT sockets reaches the given number. If it does not because the host's table
		 * overflowed meanwhile, the calling test is skipped, saying so.
		 * @param count counts the sockets, such as {@code () -> KernelSockets.count("time-wait", port)}
		 * @param atLeast the number expected
		 */
		public void await(LongSupplier count, long atLeast) {
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> count.getAsLong() >= atLeast || overflowed());
			if (count.getAsLong() < atLeast) {
				Assumptions.assumeFalse(overflowed(), () -> "the host's TIME_WAIT table is full: the kernel dropped "
						+ (tcpExtCounter(TIME_WAIT_OVERFLOW) - this.overflowsBefore)
						+ " TIME_WAIT sockets meanwhile (TCPTimeWaitOverflow; net.ipv4.tcp_max_tw_buckets), "
						+ "so the ones this test counts may not exist");
			}
		}

		private boolean overflowed() {
			return tcpExtCounter(TIME_WAIT_OVERFLOW) > this.overflowsBefore;
		}

	}

}
