package io.tcpresponder.transport;

import java.io.IOException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A bound, listening socket.
 */
public interface ListeningSocket {

	/**
	 * The port the socket is bound to.
	 * @return the port
	 */
	int port();

	/**
	 * Waits for the next connection.
	 * @return the connection, or {@code null} once the socket is shut down
	 * @throws IOException if accepting failed; the socket can still accept
	 */
	@Nullable Connection accept() throws IOException;

	/**
	 * Stops accepting: new connections are refused (or, with SO_REUSEPORT, go to the other sockets of the port), and
	 * a thread waiting in {@link #accept()} returns {@code null}.
	 */
	void shutdown();

	/**
	 * Begins the handover of this socket's port to a successor bound beside it with SO_REUSEPORT: the port's new
	 * connections go to the successor, and this call waits until this socket holds no connection request (the
	 * handshakes it began are done, and its accept thread has taken what they queued), or the timeout passes.
	 * Closing a listening socket at the instant one of its own handshakes completes is where Linux resets the
	 * connection in spite of tcp_migrate_req. A transport that cannot direct connections returns at once.
	 * @param successor the socket bound beside this one, the second of the port's SO_REUSEPORT group
	 * @param timeout how long to wait at most
	 * @return the handover, to be ended once this socket is closed
	 * @throws IOException if the connections cannot be directed to the successor
	 */
	default Handover handOverTo(ListeningSocket successor, Duration timeout) throws IOException {
		return Handover.NONE;
	}

	/**
	 * Releases the socket, once no thread can be in {@link #accept()}.
	 */
	void close();

}
