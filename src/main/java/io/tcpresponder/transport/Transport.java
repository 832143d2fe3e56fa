package io.tcpresponder.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The socket calls a TCP responder makes, behind one interface: a listening socket that accepts, the connections it
 * accepts, and the readiness of connections whose line or close takes longer than one write. The responder sees
 * nothing else of a transport.
 */
public interface Transport {

	/**
	 * The transport's name as configuration writes it ({@code responder.transport}).
	 * @return the name, such as {@code native}
	 */
	String name();

	/**
	 * The option this transport cannot set as the given options ask, if any.
	 * @param options the options
	 * @return the option and why, or empty if every option can be set
	 */
	default Optional<UnsupportedOption> unsupported(SocketOptions options) {
		return Optional.empty();
	}

	/**
	 * Opens a socket of the address's family, sets the options (SO_REUSEADDR always explicitly), binds one address
	 * and listens.
	 * @param options the socket options and backlog
	 * @param address the local address, or {@code null} for every local address
	 * @param port the port, 0 for any free port
	 * @return the listening socket
	 * @throws IOException if a call fails; {@link KernelError#of(Throwable)} tells which and why
	 */
	ListeningSocket listen(SocketOptions options, @Nullable InetAddress address, int port) throws IOException;

	/**
	 * Opens what waits for connections to become writable or readable, for one thread.
	 * @return the readiness of connections
	 * @throws IOException if it cannot be opened
	 */
	Readiness readiness() throws IOException;

}
