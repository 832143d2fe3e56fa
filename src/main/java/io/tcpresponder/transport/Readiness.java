package io.tcpresponder.transport;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Waits, on one thread, until connections can be written to or read from. Not thread-safe but for
 * {@link #wakeup()}.
 */
public interface Readiness extends AutoCloseable {

	/**
	 * Starts or changes the watch on a connection, until it is forgotten.
	 * @param connection the connection
	 * @param writable whether to wait until it can be written to, or else until it can be read from
	 * @param attachment what {@link #await} reports when the connection is ready
	 * @throws IOException if the connection cannot be watched
	 */
	void watch(Connection connection, boolean writable, Object attachment) throws IOException;

	/**
	 * Starts watching a new connection until it can be read from, from any thread, without waking the thread that
	 * waits, where the transport can: a new connection then costs that thread no wakeup of its own, only the one its
	 * bytes cause. That thread then {@link #adopt adopts} it before it reports it.
	 * @param connection a connection not watched yet
	 * @return whether it is watched now; if not, the waiting thread is to {@link #watch} it
	 * @throws IOException if the connection cannot be watched
	 */
	default boolean watchReadableFromAnyThread(Connection connection) throws IOException {
		return false;
	}

	/**
	 * On the waiting thread, gives a connection that {@link #watchReadableFromAnyThread} watches its attachment, so
	 * that {@link #await} reports it; until then a readiness of it waits to be reported.
	 * @param connection the connection
	 * @param attachment what {@link #await} reports when the connection is ready
	 */
	default void adopt(Connection connection, Object attachment) {
		throw new UnsupportedOperationException("Connections are watched from the waiting thread only");
	}

	/**
	 * Stops watching a connection, before it is closed.
	 * @param connection the connection
	 */
	void forget(Connection connection);

	/**
	 * Waits until a watched connection is ready, the time is up, or {@link #wakeup()} is called.
	 * @param timeoutMillis how long to wait at most; 0 to report only what is ready now
	 * @param ready told the attachment of each connection that is ready
	 * @throws IOException if waiting failed
	 */
	void await(long timeoutMillis, Consumer<Object> ready) throws IOException;

	/**
	 * Makes the thread in {@link #await} return soon, or the next call return at once. Any thread may call it.
	 */
	void wakeup();

	/**
	 * Reads and discards what the client sent, as far as it is there now.
	 * @param connection a watched connection
	 * @return whether the client closed its side (end of stream)
	 * @throws IOException if reading fails
	 */
	boolean discardInput(Connection connection) throws IOException;

	/**
	 * Reads what the client sent, as far as it is there now and fits, without waiting.
	 * @param connection a watched connection
	 * @param into where to read to
	 * @param offset where in it
	 * @param length how many bytes at most
	 * @return the bytes read, 0 if there is nothing now, -1 at the end of stream
	 * @throws IOException if reading fails
	 */
	int read(Connection connection, byte[] into, int offset, int length) throws IOException;

	@Override
	void close();

}
