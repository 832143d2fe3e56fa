package io.tcpresponder.responder.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Version 2 of the PROXY protocol: a 12-byte signature, the version and command, the address family and protocol,
 * the length of what follows, then the addresses and ports and any TLVs (skipped: they are within the length).
 */
final class BinaryHeader {

	static final byte[] SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

	/** The signature, the version and command, the family and protocol, and the length. */
	static final int FIXED_LENGTH = 16;

	/**
	 * The longest header taken, TLVs included: far more than the addresses (at most 216 bytes, for UNIX sockets) and
	 * the TLVs balancers send (an AWS NLB's VPC endpoint ID, a unique ID of up to 128 bytes, a CRC32C).
	 */
	static final int MAX_LENGTH = 4096;

	private static final int LOCAL = 0x0;

	private static final int PROXY = 0x1;

	private BinaryHeader() {
	}

	/**
	 * The whole header's length, once its fixed part is there.
	 * @param bytes what the connection sent, starting with the signature
	 * @param length how many bytes of it
	 * @return the length, or -1 if the fixed part has not all arrived
	 */
	static int length(byte[] bytes, int length) {
		return (length < FIXED_LENGTH) ? -1 : FIXED_LENGTH + (((bytes[14] & 0xff) << 8) | (bytes[15] & 0xff));
	}

	/**
	 * Parses the header, once it is all there.
	 * @param bytes what the connection sent, starting with the signature (or a part of it)
	 * @param length how many bytes of it
	 * @return the header, or {@code null} if it has not all arrived yet
	 * @throws InvalidHeaderException if it is not a valid header, or longer than {@link #MAX_LENGTH}
	 */
	static @Nullable ProxyHeader parse(byte[] bytes, int length) throws InvalidHeaderException {
		if (length < FIXED_LENGTH) {
			return null;
		}
		int version = (bytes[12] & 0xf0) >> 4;
		int command = bytes[12] & 0x0f;
		if (version != 2) {
			throw new InvalidHeaderException("a v2 header's version is 2, got " + version);
		}
		if (command != LOCAL && command != PROXY) {
			throw new InvalidHeaderException("a v2 header's command is LOCAL (0) or PROXY (1), got " + command);
		}
		int total = length(bytes, length);
		if (total > MAX_LENGTH) {
			throw new InvalidHeaderException("a v2 header of " + total + " bytes is longer than " + MAX_LENGTH);
		}
		int familyAndProtocol = bytes[13] & 0xff;
		int addresses = switch (familyAndProtocol) {
			// UNSPEC; TCP and UDP over IPv4; over IPv6; STREAM and DGRAM over UNIX sockets
			case 0x00 -> 0;
			case 0x11, 0x12 -> 12;
			case 0x21, 0x22 -> 36;
			case 0x31, 0x32 -> 216;
			default -> throw new InvalidHeaderException(String
				.format("a v2 header's address family and protocol 0x%02x is not in the specification", familyAndProtocol));
		};
		if (command == PROXY && total - FIXED_LENGTH < addresses) {
			throw new InvalidHeaderException(String.format(
					"a v2 header of family and protocol 0x%02x has %d bytes of addresses, at least %d needed",
					familyAndProtocol, total - FIXED_LENGTH, addresses));
		}
		if (length < total) {
			return null;
		}
		// LOCAL (a balancer's own check) names no client; the specification has a receiver fall back to the socket's
		// own addresses (UNSPEC) for the families it does not serve: UDP and UNIX sockets.
		if (command == LOCAL || (familyAndProtocol != 0x11 && familyAndProtocol != 0x21)) {
			return ProxyHeader.local(total);
		}
		int size = (familyAndProtocol == 0x11) ? 4 : 16;
		int ports = FIXED_LENGTH + 2 * size;
		return new ProxyHeader(HeaderOutcome.V2,
				new InetSocketAddress(address(bytes, FIXED_LENGTH, size), port(bytes, ports)),
				new InetSocketAddress(address(bytes, FIXED_LENGTH + size, size), port(bytes, ports + 2)), total);
	}

	private static InetAddress address(byte[] bytes, int from, int size) {
		try {
			return InetAddress.getByAddress(Arrays.copyOfRange(bytes, from, from + size));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int port(byte[] bytes, int from) {
		return ((bytes[from] & 0xff) << 8) | (bytes[from + 1] & 0xff);
	}

}
