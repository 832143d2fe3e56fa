package io.tcpresponder.responder.server;

import java.net.InetAddress;
import java.util.Collections;
import java.util.List;

import io.tcpresponder.responder.limit.ConnectionLimits;
import io.tcpresponder.responder.proxy.ProxyProtocol;
import io.tcpresponder.transport.SocketOptions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.UniqueElements;
import org.jspecify.annotations.Nullable;

/**
 * What the listeners are bound with: one listener per address, all on one port with the same options. Starts from
 * the configuration and may be changed by a restart; a restart's values are checked by the constraints here, of
 * {@link SocketOptions} and of {@link ConnectionLimits}, which the configuration's properties share.
 *
 * @param addresses the local addresses, one listener each; empty for one listener on every local address
 * @param port the port, 0 for any free port
 * @param options the socket options every listener is bound with
 * @param limits the connections held at once, in all and per client
 * @param proxyProtocol which connections start with a PROXY protocol header
 */
public record ListenerSettings(
		@Size(max = ListenerSettings.MAX_ADDRESSES, message = "must be at most {max} addresses")
		@UniqueElements(message = "must be distinct addresses") List<@LocalAddress InetAddress> addresses,
		@Min(0) @Max(65535) int port, @Valid SocketOptions options, @Valid ConnectionLimits limits,
		@Valid ProxyProtocol proxyProtocol) {

	/** Far more addresses than a host serves one port on; a bound on listener threads and metric rows. */
	public static final int MAX_ADDRESSES = 16;

	public ListenerSettings {
		addresses = List.copyOf(addresses);
	}

	/**
	 * The address of each listener, in order: the configured ones, or {@code null} alone for every local address.
	 * @return the addresses to bind
	 */
	List<@Nullable InetAddress> bindAddresses() {
		return this.addresses.isEmpty() ? Collections.singletonList(null) : this.addresses;
	}

	public ListenerSettings withPort(int port) {
		return new ListenerSettings(this.addresses, port, this.options, this.limits, this.proxyProtocol);
	}

	public ListenerSettings withAddresses(List<InetAddress> addresses) {
		return new ListenerSettings(addresses, this.port, this.options, this.limits, this.proxyProtocol);
	}

	public ListenerSettings withOptions(SocketOptions options) {
		return new ListenerSettings(this.addresses, this.port, options, this.limits, this.proxyProtocol);
	}

	public ListenerSettings withLimits(ConnectionLimits limits) {
		return new ListenerSettings(this.addresses, this.port, this.options, limits, this.proxyProtocol);
	}

	public ListenerSettings withProxyProtocol(ProxyProtocol proxyProtocol) {
		return new ListenerSettings(this.addresses, this.port, this.options, this.limits, proxyProtocol);
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
