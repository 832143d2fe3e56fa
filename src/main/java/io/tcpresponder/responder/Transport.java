package io.tcpresponder.responder;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The socket calls the responder makes, behind one interface: a listener that accepts, the connections it accepts,
 * and the readiness of connections whose line or close takes longer than one write. {@link TcpResponder} and
 * {@link PendingConnections} see nothing else; {@link TransportChoice} says which transports there are.
 */
interface Transport {

	/**
	 * The transport's name as configuration writes it ({@code responder.transport}).
	 * @return the name, such as {@code native}
	 */
	String name();

	/**
	 * Opens a socket of the address's family, sets SO_REUSEADDR (always explicitly) and SO_REUSEPORT (when asked),
	 * binds one address and listens: the responder calls it once per address of its settings.
	 * @param settings the port, options and backlog
	 * @param address the local address, one of the settings' {@link ListenerSettings#bindAddresses()}; {@code null}
	 * for every local address
	 * @return the bound listener
	 * @throws IOException if a call fails; {@link KernelError#of(Throwable)} tells which and why
	 */
	Listener listen(ListenerSettings settings, @Nullable InetAddress address) throws IOException;

	/**
	 * Opens what waits for connections to become writable or readable, for one thread.
	 * @return the readiness of connections
	 * @throws IOException if it cannot be opened
	 */
	Readiness readiness() throws IOException;

	/**
	 * A bound, listening socket.
	 */
	interface Listener {

		/**
		 * The port the listener is bound to.
		 * @return the port
		 */
		int port();

		/**
		 * Waits for the next connection.
		 * @return the connection, or {@code null} once the listener is shut down
		 * @throws IOException if accepting failed; the listener can still accept
		 */
		@Nullable Connection accept() throws IOException;

		/**
		 * Stops accepting: new connections are refused (or, with SO_REUSEPORT, go to the sibling listeners), and a
		 * thread waiting in {@link #accept()} returns {@code null}.
		 */
		void shutdown();

		/**
		 * Prepares the close of this listener in favour of a successor bound beside it with SO_REUSEPORT: steers the
		 * port's new connections to the successor, then waits until this listener holds no connection request (the
		 * handshakes it began are done, and its accept thread has taken what they queued), or the timeout passes.
		 * Closing a listener at the instant one of its own handshakes completes is where Linux resets the connection
		 * in spite of tcp_migrate_req. A transport that cannot steer returns at once.
		 * @param successor the listener bound beside this one, the second of the port's SO_REUSEPORT group
		 * @param timeout how long to wait at most
		 * @return what lets the kernel choose among the group again, to be closed once this listener is closed
		 * @throws IOException if the connections cannot be steered
		 */
		default Steering yieldTo(Listener successor, Duration timeout) throws IOException {
			return Steering.NONE;
		}

		/**
		 * Releases the socket, once no thread can be in {@link #accept()}.
		 */
		void close();

	}

	/**
	 * New connections steered to one listener of an SO_REUSEPORT group, until closed.
	 */
	interface Steering extends AutoCloseable {

		/** No steering: the kernel chooses by hash. */
		Steering NONE = () -> {
		};

		@Override
		void close() throws IOException;

	}

	/**
	 * An accepted connection.
	 */
	interface Connection {

		/**
		 * Writes what the socket takes now of the line from the given offset, without waiting for buffer space. A line
		 * up to {@link TcpResponder#INLINE_WRITE_LIMIT} goes out whole on a new connection.
		 * @param line the line
		 * @param offset where to start
		 * @return the bytes written, 0 when the socket takes nothing now
		 * @throws IOException if the write fails
		 */
		int write(Line line, int offset) throws IOException;

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

	/**
	 * Waits, on one thread, until connections can be written to or read from. Not thread-safe but for
	 * {@link #wakeup()}.
	 */
	interface Readiness extends AutoCloseable {

		/**
		 * Starts or changes the watch on a connection, until it is forgotten.
		 * @param connection the connection
		 * @param writable whether to wait until it can be written to, or else until it can be read from
		 * @param attachment what {@link #await} reports when the connection is ready
		 * @throws IOException if the connection cannot be watched
		 */
		void watch(Connection connection, boolean writable, Object attachment) throws IOException;

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

		@Override
		void close();

	}

}
