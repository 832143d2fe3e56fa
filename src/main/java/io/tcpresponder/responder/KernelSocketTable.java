package io.tcpresponder.responder;

import io.tcpresponder.kernel.ProcSocketTable;
import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.TransportUnavailableException;
import io.tcpresponder.transport.linux.NativeTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where this process reads the kernel's socket table, chosen once at start, whichever transport the responder runs
 * on: sock_diag netlink where native access allows it, else the text of {@code /proc/net/tcp}, with a log line saying
 * why; none off Linux. The kernel view and the bind oracle are given the same table.
 */
public final class KernelSocketTable {

	/** The bean the choice joins the context as. */
	static final String BEAN_NAME = "kernelSocketTable";

	private static final Log logger = LogFactory.getLog(KernelSocketTable.class);

	private final @Nullable SocketTable table;

	private KernelSocketTable(@Nullable SocketTable table) {
		this.table = table;
	}

	/**
	 * The table of this host.
	 * @return the table, {@code null} where there is none
	 */
	public @Nullable SocketTable get() {
		return this.table;
	}

	/**
	 * Chooses the table of this host, saying why when it is not sock_diag.
	 * @return the choice
	 */
	public static KernelSocketTable choose() {
		try {
			SocketTable table = NativeTransport.socketTable();
			logger.debug("Kernel view reads the socket table through " + table.name());
			return new KernelSocketTable(table);
		}
		catch (TransportUnavailableException ex) {
			ProcSocketTable proc = new ProcSocketTable();
			if (!proc.available()) {
				logger.info("Kernel view is not available: no socket table can be read here (" + ex.getMessage() + ")");
				return new KernelSocketTable(null);
			}
			logger.info("Kernel view reads the socket table through " + proc.name() + ", which costs more with many "
					+ "sockets and tells no listener's drops: " + ex.getMessage());
			return new KernelSocketTable(proc);
		}
	}

}
