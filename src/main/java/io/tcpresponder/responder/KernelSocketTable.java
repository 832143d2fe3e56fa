package io.tcpresponder.responder;

import io.tcpresponder.kernel.ProcSocketTable;
import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.TransportUnavailableException;
import io.tcpresponder.transport.linux.NativeTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where this process reads the kernel's socket table, chosen once, whichever transport the responder runs on:
 * sock_diag netlink where native access allows it, else the text of {@code /proc/net/tcp}, with a log line saying
 * why; none off Linux. The kernel view and the bind verdicts read the same table.
 */
final class KernelSocketTable {

	private static final Log logger = LogFactory.getLog(KernelSocketTable.class);

	/** Chosen when the class is initialized: once, by one thread. */
	private static final @Nullable SocketTable TABLE = choose();

	private KernelSocketTable() {
	}

	/**
	 * The table of this host, chosen on the first call.
	 * @return the table, {@code null} where there is none
	 */
	static @Nullable SocketTable get() {
		return TABLE;
	}

	private static @Nullable SocketTable choose() {
		try {
			SocketTable table = NativeTransport.socketTable();
			logger.debug("Kernel view reads the socket table through " + table.name());
			return table;
		}
		catch (TransportUnavailableException ex) {
			ProcSocketTable proc = new ProcSocketTable();
			if (!proc.available()) {
				logger.info("Kernel view is not available: no socket table can be read here (" + ex.getMessage() + ")");
				return null;
			}
			logger.info("Kernel view reads the socket table through " + proc.name() + ", which costs more with many "
					+ "sockets and tells no listener's drops: " + ex.getMessage());
			return proc;
		}
	}

}
