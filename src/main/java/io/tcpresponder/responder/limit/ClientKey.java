package io.tcpresponder.responder.limit;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.tcpresponder.transport.Addresses;

/**
 * A client as the per-client limit counts it: the leading bits of its address, as many as the limits' prefix for its
 * family ({@code /32} and {@code /64} by default). IPv4 clients of a dual-stack listener count by their IPv4 address.
 *
 * @param ipv6 whether it is an IPv6 client
 * @param high the first 64 bits of the address (an IPv4 address in the low 32), masked by the prefix
 * @param low the last 64 bits of an IPv6 address, masked by the prefix; 0 for IPv4
 * @param prefix the prefix length
 */
public record ClientKey(boolean ipv6, long high, long low, int prefix) {

	public static ClientKey of(InetAddress address, ConnectionLimits limits) {
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			long bits = Integer.toUnsignedLong(((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16)
					| ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff));
			int prefix = limits.ipv4Prefix();
			return new ClientKey(false, bits & (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL, 0, prefix);
		}
		int prefix = limits.ipv6Prefix();
		long high = 0;
		long low = 0;
		for (int i = 0; i < 8; i++) {
			high = (high << 8) | (bytes[i] & 0xff);
			low = (low << 8) | (bytes[i + 8] & 0xff);
		}
		return new ClientKey(true, high & mask(prefix), low & mask(prefix - 64), prefix);
	}

	/** The leading {@code bits} of 64 set, none for 0 or less, all for 64 or more. */
	private static long mask(int bits) {
		if (bits <= 0) {
			return 0;
		}
		return (bits >= 64) ? -1L : -1L << (64 - bits);
	}

	/**
	 * The client as an address, or a network where the prefix is shorter than the address.
	 * @return such as {@code 127.0.0.2} or {@code 2001:db8:1:2::/64}
	 */
	@Override
	public String toString() {
		byte[] bytes = new byte[this.ipv6 ? 16 : 4];
		if (this.ipv6) {
			for (int i = 0; i < 8; i++) {
				bytes[i] = (byte) (this.high >>> (56 - 8 * i));
				bytes[i + 8] = (byte) (this.low >>> (56 - 8 * i));
			}
		}
		else {
			for (int i = 0; i < 4; i++) {
				bytes[i] = (byte) (this.high >>> (24 - 8 * i));
			}
		}
		try {
			String text = Addresses.text(InetAddress.getByAddress(bytes));
			return (this.prefix == bytes.length * 8) ? text : text + "/" + this.prefix;
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
