package io.tcpresponder.kernel.bind;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The processes that hold sockets, found as {@code ss -p} finds them: a descriptor of {@code /proc/PID/fd} that links
 * to {@code socket:[INODE]}. Only the processes whose descriptors this process may read are seen (its own user's, or
 * every one as root).
 */
final class SocketOwners {

	private final Path proc;

	SocketOwners(Path proc) {
		this.proc = proc;
	}

	/**
	 * The process holding each of the given sockets, where one is seen.
	 * @param inodes the sockets' inodes
	 * @return the owner of each socket found, by inode
	 */
	Map<Long, Owner> find(Set<Long> inodes) {
		Map<Long, Owner> owners = new HashMap<>();
		if (inodes.isEmpty()) {
			return owners;
		}
		// This process first, and once more at the end: its own listeners are the ones a restart or a dry run must
		// tell apart, and its descriptors change the most while it is read.
		Path self = this.proc.resolve(Long.toString(ProcessHandle.current().pid()));
		scan(self, inodes, owners);
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(this.proc, "[0-9]*")) {
			for (Path process : processes) {
				if (owners.size() == inodes.size()) {
					return owners;
				}
				scan(process, inodes, owners);
			}
		}
		catch (IOException | DirectoryIteratorException ex) {
			// No /proc to search, or it changed under the reading: the owners not found stay unknown.
		}
		if (owners.size() < inodes.size()) {
			scan(self, inodes, owners);
		}
		return owners;
	}

	private static void scan(Path process, Set<Long> inodes, Map<Long, Owner> owners) {
		try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd"))) {
			for (Path descriptor : descriptors) {
				Long inode = socketInode(descriptor);
				if (inode != null && inodes.contains(inode)) {
					owners.put(inode, new Owner(Long.parseLong(process.getFileName().toString()),
							Files.readString(process.resolve("comm")).strip()));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// A process that ended, or whose descriptors this process may not read.
		}
	}

	/**
	 * The inode of the socket a descriptor links to. A descriptor closed while the directory is read is skipped, not
	 * the rest of its process: a busy process, this one among them, opens and closes sockets all the time.
	 */
	private static @Nullable Long socketInode(Path descriptor) {
		try {
			String target = Files.readSymbolicLink(descriptor).toString();
			return target.startsWith("socket:[") ? Long.parseLong(target, 8, target.length() - 1, 10) : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * A process that holds a socket.
	 *
	 * @param pid its process id
	 * @param command its command name ({@code /proc/PID/comm})
	 */
	record Owner(long pid, String command) {
	}

}
