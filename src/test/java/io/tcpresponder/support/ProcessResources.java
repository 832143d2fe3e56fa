package io.tcpresponder.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What this JVM holds, as the kernel and the JVM report it: open file descriptors and live threads. Tests compare
 * them before and after, to show that nothing was left behind.
 */
public final class ProcessResources {

	private static final Path FDS = Path.of("/proc/self/fd");

	private ProcessResources() {
	}

	/**
	 * Skips the calling test where {@code /proc/self/fd} does not exist (not Linux).
	 */
	public static void assumeAvailable() {
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(FDS), "/proc/self/fd is not available");
	}

	/**
	 * Counts the entries of {@code /proc/self/fd}.
	 * @return the number of open file descriptors (the listing's own included, the same every time)
	 */
	public static long openFileDescriptors() {
		try (Stream<Path> fds = Files.list(FDS)) {
			return fds.count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The open file descriptors, each with what it refers to ({@code socket:[inode]}, {@code pipe:[inode]},
	 * {@code anon_inode:[eventpoll]}, a file's path).
	 * @return targets by descriptor number
	 */
	public static Map<Integer, String> openFileDescriptorTargets() {
		Map<Integer, String> targets = new TreeMap<>();
		try (Stream<Path> fds = Files.list(FDS)) {
			fds.forEach((fd) -> {
				try {
					targets.put(Integer.valueOf(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
				}
				catch (IOException ex) {
					// closed in between, the listing's own for one
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return targets;
	}

	/**
	 * The file descriptors open now that were not open (or referred to something else) when the given ones were
	 * taken, sockets described from the kernel's tables. Unlike a count, this is not thrown off by what other code in
	 * the same JVM closes meanwhile (HTTP connections of a cached application context, a collected HTTP client).
	 * @param before the descriptors taken earlier
	 * @return the descriptors opened since and still open
	 */
	public static Map<Integer, String> openedSince(Map<Integer, String> before) {
		Map<Integer, String> opened = new TreeMap<>();
		openFileDescriptorTargets().forEach((fd, target) -> {
			if (!target.equals(before.get(fd)) && !target.startsWith("/proc/")) {
				opened.put(fd, target.startsWith("socket:")
						? target + socketTable(target.substring("socket:[".length(), target.length() - 1)) : target);
			}
		});
		return opened;
	}

	/**
	 * The open file descriptors by kind ({@code socket}, {@code anon_inode:[eventpoll]}, {@code pipe}, a file's
	 * directory...), to say what differs when the count does.
	 * @return counts by kind
	 */
	public static Map<String, Long> fileDescriptorKinds() {
		Map<String, Long> kinds = new TreeMap<>();
		try (Stream<Path> fds = Files.list(FDS)) {
			fds.forEach((fd) -> {
				String target;
				try {
					target = Files.readSymbolicLink(fd).toString();
				}
				catch (IOException ex) {
					return; // closed in between, the listing's own for one
				}
				String kind;
				if (target.startsWith("socket:")) {
					kind = "socket" + socketTable(target.substring("socket:[".length(), target.length() - 1));
				}
				else if (target.startsWith("anon_inode:") || target.startsWith("pipe:")) {
					kind = target.startsWith("pipe:") ? "pipe" : target;
				}
				else {
					kind = "file";
				}
				kinds.merge(kind, 1L, Long::sum);
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return kinds;
	}

	/**
	 * Finds a socket's inode in the kernel's tables, to say what kind of socket it is.
	 */
	private static String socketTable(String inode) {
		for (String table : new String[] { "tcp", "tcp6", "udp", "udp6", "unix", "netlink" }) {
			try {
				for (String line : Files.readAllLines(Path.of("/proc/net", table))) {
					String[] fields = line.trim().split("\\s+");
					if (java.util.Arrays.asList(fields).contains(inode)) {
						return "(" + table + " " + (table.startsWith("tcp") ? fields[1] + "->" + fields[2] + " st " + fields[3] : "")
								+ ")";
					}
				}
			}
			catch (IOException ex) {
				// not readable here: try the next table
			}
		}
		return "(" + inode + ")";
	}

	/**
	 * Counts the live threads whose name starts with the given prefix.
	 * @param prefix the prefix, such as {@code responder-}
	 * @return the number of such live threads
	 */
	public static long liveThreads(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith(prefix))
			.count();
	}

	/**
	 * Counts the responder's threads (acceptors and the pending connections' selector) of every responder in this
	 * JVM.
	 * @return the number of live threads named {@code responder-*}
	 */
	public static long responderThreads() {
		return liveThreads("responder-");
	}

	/**
	 * The heap in use after a full collection was asked for.
	 * @return bytes of heap in use
	 */
	public static long heapUsedAfterGc() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * All live threads of this JVM.
	 * @return the number of live threads
	 */
	public static int liveThreads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

}
