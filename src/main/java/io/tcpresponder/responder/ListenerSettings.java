package io.tcpresponder.responder;

import java.net.InetAddress;
import java.util.Collections;
import java.util.List;

import io.tcpresponder.transport.SocketOptions;
import org.jspecify.annotations.Nullable;

/**
 * What the listeners are bound with: one listener per address, all on one port with the same options. Starts from
 * the configuration and may be changed by a restart; both are checked by the constraints of
 * {@link ResponderProperties} and {@link SocketOptions}.
 *
 * @param addresses the local addresses, one listener each; empty for one listener on every local address
 * @param port the port, 0 for any free port
 * @param options the socket options every listener is bound with
 * @param limits the connections held at once, in all and per client
 */
record ListenerSettings(List<InetAddress> addresses, int port, SocketOptions options, ConnectionLimits limits) {

	ListenerSettings {
		addresses = List.copyOf(addresses);
	}

	/**
	 * Settings made in code, without connection limits ({@link ConnectionLimits#NONE}).
	 */
	ListenerSettings(List<InetAddress> addresses, int port, SocketOptions options) {
		this(addresses, port, options, ConnectionLimits.NONE);
	}

	/**
	 * The address of each listener, in order: the configured ones, or {@code null} alone for every local address.
	 * @return the addresses to bind
	 */
	List<@Nullable InetAddress> bindAddresses() {
		return this.addresses.isEmpty() ? Collections.singletonList(null) : this.addresses;
	}

	ListenerSettings withPort(int port) {
		return new ListenerSettings(this.addresses, port, this.options, this.limits);
	}

	/**
	 * The settings of the listeners, as the log line says them.
	 * @return the port and {@link SocketOptions#describe() the options}, such as
	 * {@code port 9000 (SO_REUSEADDR on, ...)}
	 */
	String describe() {
		return "port " + this.port + " (" + this.options.describe() + ")";
	}

}
