package io.tcpresponder.transport;

import java.io.IOException;

/**
 * A handover in progress: the new connections of a port go to the successor of a listening socket until it ends.
 */
public interface Handover extends AutoCloseable {

	/** Nothing directed: the kernel chooses among the port's sockets by hash. */
	Handover NONE = () -> {
	};

	/**
	 * Ends the handover: the kernel chooses among the port's sockets by hash again.
	 * @throws IOException if the kernel refuses
	 */
	@Override
	void close() throws IOException;

}
