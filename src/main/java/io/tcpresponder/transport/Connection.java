package io.tcpresponder.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * An accepted connection.
 */
public interface Connection {

	/**
	 * Writes what the socket takes now of the line from the given offset, without waiting for buffer space. A line
	 * up to {@link Line#INLINE_WRITE_LIMIT} goes out whole on a new connection.
	 * @param line the line
	 * @param offset where to start
	 * @return the bytes written, 0 when the socket takes nothing now
	 * @throws IOException if the write fails
	 */
	int write(Line line, int offset) throws IOException;

	/**
	 * The client's address and port, as the kernel gave them at accept.
	 * @return the peer's address
	 */
	InetSocketAddress remote();

	/**
	 * The connection's own address and port, the one the client connected to (a specific address where the listener
	 * is on every address).
	 * @return the local address
	 * @throws IOException if the kernel cannot tell it (the connection is closed)
	 */
	InetSocketAddress local() throws IOException;

	/**
	 * Closes the connection, sending what is buffered and then the end of stream.
	 */
	void close();

	/**
	 * Resets the connection: SO_LINGER 0, then close, so that the client sees a reset rather than an end of stream
	 * after part of the line.
	 */
	void abort();

}
