package io.tcpresponder.responder.proxy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

import io.tcpresponder.transport.Addresses;

/**
 * An address or a CIDR block of addresses, such as {@code 10.0.0.0/8}, {@code 192.0.2.7} or {@code 2001:db8::/32},
 * written as IP literals. Hand-written rather than Spring Security's {@code IpAddressMatcher}, which looks a name up in
 * the DNS where it is given one, and parses each address it matches from text.
 *
 * @param network the block's first address (the bits past the prefix are zero)
 * @param prefix how many leading bits of an address must be the network's
 */
public record AddressBlock(InetAddress network, int prefix) {

	public AddressBlock {
		int bits = network.getAddress().length * 8;
		if (prefix < 0 || prefix > bits) {
			throw new IllegalArgumentException("prefix /" + prefix + " is not between /0 and /" + bits);
		}
		network = masked(network, prefix);
	}

	/**
	 * Reads a block.
	 * @param text an IP literal, with {@code /} and a prefix length for a block
	 * @return the block
	 * @throws IllegalArgumentException if it is not an IP literal, or the prefix does not fit its family
	 */
	public static AddressBlock parse(String text) {
		String trimmed = text.strip();
		int slash = trimmed.indexOf('/');
		String address = (slash < 0) ? trimmed : trimmed.substring(0, slash);
		InetAddress network;
		try {
			network = InetAddress.ofLiteral(address);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"'" + text + "' is not an IP literal or a CIDR block such as 10.0.0.0/8 or 2001:db8::/32");
		}
		int bits = network.getAddress().length * 8;
		if (slash < 0) {
			return new AddressBlock(network, bits);
		}
		String prefix = trimmed.substring(slash + 1);
		if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
			throw new IllegalArgumentException("'" + text + "' has no prefix length between /0 and /" + bits);
		}
		return new AddressBlock(network, Integer.parseInt(prefix));
	}

	/**
	 * Whether an address is in the block. An IPv4 address is in IPv4 blocks only, an IPv6 one in IPv6 blocks.
	 * @param address the address
	 * @return whether it is
	 */
	public boolean contains(InetAddress address) {
		return (address instanceof Inet4Address) == (this.network instanceof Inet4Address)
				&& Arrays.equals(masked(address, this.prefix).getAddress(), this.network.getAddress());
	}

	private static InetAddress masked(InetAddress address, int prefix) {
		byte[] bytes = address.getAddress();
		for (int i = 0; i < bytes.length; i++) {
			int keep = Math.clamp(prefix - 8L * i, 0, 8);
			bytes[i] &= (byte) (0xff00 >> keep);
		}
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The block as it is configured.
	 * @return such as {@code 10.0.0.0/8}
	 */
	@Override
	public String toString() {
		return Addresses.text(this.network) + "/" + this.prefix;
	}

}
