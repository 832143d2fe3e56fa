package io.tcpresponder.responder.proxy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Version 1 of the PROXY protocol: one line of text, at most 107 bytes with its CRLF, such as
 * {@code PROXY TCP4 192.0.2.1 198.51.100.1 56324 9000\r\n}, or {@code PROXY UNKNOWN...\r\n}.
 */
final class TextHeader {

	static final byte[] PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);

	/** The longest line the specification allows, CRLF included. */
	static final int MAX_LENGTH = 107;

	private static final Pattern IPV4 = Pattern.compile("(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

	private static final Pattern PORT = Pattern.compile("0|[1-9]\\d{0,4}");

	private TextHeader() {
	}

	/**
	 * Parses the line, once it is all there.
	 * @param bytes what the connection sent, starting with the prefix (or a part of it)
	 * @param length how many bytes of it
	 * @return the header, or {@code null} if its end has not arrived yet
	 * @throws InvalidHeaderException if it is not a valid line
	 */
	static @Nullable ProxyHeader parse(byte[] bytes, int length) throws InvalidHeaderException {
		int end = -1;
		for (int i = 0; i < Math.min(length, MAX_LENGTH); i++) {
			if (bytes[i] == '\n') {
				if (i == 0 || bytes[i - 1] != '\r') {
					throw new InvalidHeaderException("a v1 header's line ends with CRLF, not LF alone");
				}
				end = i - 1;
				break;
			}
			if ((bytes[i] < 0x20 || bytes[i] > 0x7e) && bytes[i] != '\r') {
				throw new InvalidHeaderException("a v1 header is printable ASCII, got byte " + (bytes[i] & 0xff));
			}
		}
		if (end < 0) {
			if (length >= MAX_LENGTH) {
				throw new InvalidHeaderException("a v1 header ends within " + MAX_LENGTH + " bytes");
			}
			return null;
		}
		String line = new String(bytes, 0, end, StandardCharsets.US_ASCII);
		if (line.indexOf('\r') >= 0) {
			throw new InvalidHeaderException("a v1 header has CR only before its LF");
		}
		String[] fields = line.split(" ", -1);
		int headerLength = end + 2;
		switch (fields[1]) {
			case "UNKNOWN" -> {
				return ProxyHeader.local(headerLength);
			}
			case "TCP4", "TCP6" -> {
				if (fields.length != 6) {
					throw new InvalidHeaderException(
							"a v1 TCP header has a protocol, two addresses and two ports, each after one space: " + line);
				}
				boolean ipv4 = fields[1].equals("TCP4");
				InetAddress source = address(fields[2], ipv4);
				InetAddress destination = address(fields[3], ipv4);
				return new ProxyHeader(HeaderOutcome.V1, new InetSocketAddress(source, port(fields[4])),
						new InetSocketAddress(destination, port(fields[5])), headerLength);
			}
			default -> throw new InvalidHeaderException(
					"a v1 header's protocol is TCP4, TCP6 or UNKNOWN, got '" + fields[1] + "'");
		}
	}

	private static InetAddress address(String text, boolean ipv4) throws InvalidHeaderException {
		try {
			if (ipv4) {
				if (IPV4.matcher(text).matches()) {
					return Inet4Address.ofLiteral(text);
				}
			}
			else if (text.indexOf(':') >= 0) {
				return Inet6Address.ofLiteral(text);
			}
		}
		catch (IllegalArgumentException ex) {
			// named below
		}
		throw new InvalidHeaderException("'" + text + "' is not an " + (ipv4 ? "IPv4" : "IPv6") + " address");
	}

	private static int port(String text) throws InvalidHeaderException {
		if (!PORT.matcher(text).matches() || Integer.parseInt(text) > 65535) {
			throw new InvalidHeaderException("'" + text + "' is not a port");
		}
		return Integer.parseInt(text);
	}

}
