package io.tcpresponder.responder;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the listeners are bound with: one listener per address, all on one port with the same options. Starts from
 * {@link ResponderProperties} and may be changed by a restart.
 *
 * @param addresses the local addresses, one listener each; empty for one listener on every local address
 * @param port the port, 0 for any free port
 * @param reuseAddress the SO_REUSEADDR option
 * @param reusePort the SO_REUSEPORT option, which a handover needs
 * @param backlog the listen backlog
 */
record ListenerSettings(List<InetAddress> addresses, int port, boolean reuseAddress, boolean reusePort, int backlog) {

	ListenerSettings {
		addresses = List.copyOf(addresses);
	}

	/**
	 * The address of each listener, in order: the configured ones, or {@code null} alone for every local address.
	 * @return the addresses to bind
	 */
	List<@Nullable InetAddress> bindAddresses() {
		return this.addresses.isEmpty() ? Collections.singletonList(null) : List.copyOf(this.addresses);
	}

	ListenerSettings withAddresses(List<InetAddress> addresses) {
		return new ListenerSettings(addresses, this.port, this.reuseAddress, this.reusePort, this.backlog);
	}

	ListenerSettings withReuseAddress(boolean reuseAddress) {
		return new ListenerSettings(this.addresses, this.port, reuseAddress, this.reusePort, this.backlog);
	}

	ListenerSettings withPort(int port) {
		return new ListenerSettings(this.addresses, port, this.reuseAddress, this.reusePort, this.backlog);
	}

	static InetSocketAddress socketAddress(@Nullable InetAddress address, int port) {
		return (address != null) ? new InetSocketAddress(address, port) : new InetSocketAddress(port);
	}

	/**
	 * An address as users write it: {@code ::} for every local address, and IPv6 addresses in their short form
	 * (RFC 5952: the longest run of zero groups as {@code ::}), such as {@code ::1}, where the JDK writes
	 * {@code 0:0:0:0:0:0:0:1}.
	 * @param address the address, or {@code null} for every local address
	 * @return the address text
	 */
	static String text(@Nullable InetAddress address) {
		if (address == null || address.isAnyLocalAddress()) {
			return (address != null && address.getAddress().length == 4) ? "0.0.0.0" : "::";
		}
		String text = address.getHostAddress();
		return (address instanceof Inet6Address) ? shortIpv6(text) : text;
	}

	private static String shortIpv6(String text) {
		int scope = text.indexOf('%');
		String[] groups = ((scope < 0) ? text : text.substring(0, scope)).split(":");
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < groups.length; i++) {
			int length = 0;
			while (i + length < groups.length && groups[i + length].equals("0")) {
				length++;
			}
			if (length > bestLength) {
				bestStart = i;
				bestLength = length;
			}
		}
		String head = String.join(":", Arrays.copyOfRange(groups, 0, Math.max(bestStart, 0)));
		String shortened = (bestStart < 0) ? String.join(":", groups) : head + "::"
				+ String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
		return shortened + ((scope < 0) ? "" : text.substring(scope));
	}

}
