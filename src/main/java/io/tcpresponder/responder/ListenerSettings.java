package io.tcpresponder.responder;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * What a listener is bound with. Starts from {@link ResponderProperties} and may be changed by a restart.
 *
 * @param address the local address, or {@code null} for every local address
 * @param port the port, 0 for any free port
 * @param reuseAddress the SO_REUSEADDR option
 * @param reusePort the SO_REUSEPORT option, which a handover needs
 * @param backlog the listen backlog
 */
record ListenerSettings(@Nullable InetAddress address, int port, boolean reuseAddress, boolean reusePort,
		int backlog) {

	InetSocketAddress socketAddress() {
		return (this.address != null) ? new InetSocketAddress(this.address, this.port) : new InetSocketAddress(this.port);
	}

	ListenerSettings withReuseAddress(boolean reuseAddress) {
		return new ListenerSettings(this.address, this.port, reuseAddress, this.reusePort, this.backlog);
	}

	ListenerSettings withPort(int port) {
		return new ListenerSettings(this.address, port, this.reuseAddress, this.reusePort, this.backlog);
	}

	/**
	 * The address as users write it: {@code ::} for every local address.
	 * @return the address text
	 */
	String addressText() {
		if (this.address == null || this.address.isAnyLocalAddress()) {
			return (this.address != null && this.address.getAddress().length == 4) ? "0.0.0.0" : "::";
		}
		return this.address.getHostAddress();
	}

}
