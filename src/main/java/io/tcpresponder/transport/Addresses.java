package io.tcpresponder.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Local addresses as users write them.
 */
public final class Addresses {

	private Addresses() {
	}

	/**
	 * An address as users write it: {@code ::} for every local address, and IPv6 addresses in their short form
	 * (RFC 5952: the longest run of zero groups as {@code ::}), such as {@code ::1}, where the JDK writes
	 * {@code 0:0:0:0:0:0:0:1}. Neither the JDK nor Spring on the service's class path has that formatter.
	 * @param address the address, or {@code null} for every local address
	 * @return the address text
	 */
	public static String text(@Nullable InetAddress address) {
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
