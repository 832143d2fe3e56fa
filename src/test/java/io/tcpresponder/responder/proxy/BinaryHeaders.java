package io.tcpresponder.responder.proxy;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Version 2 headers written by hand, as the specification lays them out.
 */
final class BinaryHeaders {

	private BinaryHeaders() {
	}

	/**
	 * A header: the signature, then the given bytes.
	 * @param versionAndCommand {@code 0x21} for PROXY, {@code 0x20} for LOCAL
	 * @param familyAndProtocol such as {@code 0x11} for TCP over IPv4
	 * @param rest the addresses and any TLVs, whose length the header declares
	 * @return the header
	 */
	static byte[] v2(int versionAndCommand, int familyAndProtocol, byte[] rest) {
		return ByteBuffer.allocate(16 + rest.length)
			.put(BinaryHeader.SIGNATURE)
			.put((byte) versionAndCommand)
			.put((byte) familyAndProtocol)
			.putShort((short) rest.length)
			.put(rest)
			.array();
	}

	/** The addresses and ports of TCP over IPv4. */
	static byte[] ipv4(String source, String destination, int sourcePort, int destinationPort) {
		return ByteBuffer.allocate(12)
			.put(InetAddress.ofLiteral(source).getAddress())
			.put(InetAddress.ofLiteral(destination).getAddress())
			.putShort((short) sourcePort)
			.putShort((short) destinationPort)
			.array();
	}

}
