package io.tcpresponder.responder;

import java.lang.management.ManagementFactory;

import com.sun.management.UnixOperatingSystemMXBean;
import org.jspecify.annotations.Nullable;

/**
 * The process's file descriptors: how many it may open ({@code RLIMIT_NOFILE}, which the JVM raises to the hard
 * limit at start) and how many are open, from which the default connection limit is derived.
 *
 * @param limit how many descriptors the process may have open
 * @param open how many are open now
 */
record Descriptors(long limit, long open) {

	/**
	 * What stays free for everything but the TCP clients: the HTTP side (Tomcat's connections and its threads'
	 * files), the kernel view's netlink socket, the log files, the JDK's own, and the one descriptor each accept
	 * thread takes for a connection it then refuses.
	 */
	static final int RESERVE = 256;

	/**
	 * The descriptors of this process, {@code null} where the JVM cannot tell them (not a Unix).
	 */
	static @Nullable Descriptors ofProcess() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
			return new Descriptors(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
		}
		return null;
	}

	/**
	 * The connections the responder may hold so that TCP clients alone never take the process to EMFILE: the
	 * limit, less what is open already and {@link #RESERVE}, at least 1.
	 * @return the connections
	 */
	int forConnections() {
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, this.limit - this.open - RESERVE));
	}

}
