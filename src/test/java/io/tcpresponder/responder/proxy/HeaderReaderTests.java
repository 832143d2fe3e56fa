package io.tcpresponder.responder.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.tcpresponder.responder.proxy.BinaryHeaders.ipv4;
import static io.tcpresponder.responder.proxy.BinaryHeaders.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Headers as the specification writes them and as hostile clients send them, arriving whole, a byte at a time, or
 * not at all.
 */
class HeaderReaderTests {

	@Test
	void aV1HeaderOverIpv4NamesTheClient() throws Exception {
		ProxyHeader header = readWhole(text("PROXY TCP4 192.0.2.1 198.51.100.1 56324 9000\r\n"));
		assertThat(header).isEqualTo(new ProxyHeader(HeaderOutcome.V1, address("192.0.2.1", 56324),
				address("198.51.100.1", 9000), 46));
	}

	@Test
	void aV1HeaderOverIpv6NamesTheClient() throws Exception {
		ProxyHeader header = readWhole(text("PROXY TCP6 2001:db8::1 2001:db8::2 65535 9000\r\n"));
		assertThat(header.outcome()).isEqualTo(HeaderOutcome.V1);
		assertThat(header.source()).isEqualTo(address("2001:db8::1", 65535));
	}

	@Test
	void aV1HeaderThatArrivesAByteAtATimeIsReadWhenItsLineEnds() throws Exception {
		assertReadAtItsLastByte(text("PROXY TCP4 192.0.2.1 198.51.100.1 56324 9000\r\n"));
	}

	@Test
	void aV1UnknownHeaderNamesNoClient() throws Exception {
		assertThat(readWhole(text("PROXY UNKNOWN\r\n"))).isEqualTo(ProxyHeader.local(15));
		assertThat(readWhole(text("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n")).outcome()).isEqualTo(HeaderOutcome.LOCAL);
	}

	@Test
	void theBytesAfterTheHeaderAreTheClients() throws Exception {
		ProxyHeader header = readWhole(text("PROXY TCP4 192.0.2.1 198.51.100.1 1 2\r\nGET / HTTP/1.0\r\n\r\n"));
		assertThat(header.length()).isEqualTo(39);
	}

	@Test
	void aV2HeaderOverIpv4NamesTheClient() throws Exception {
		ProxyHeader header = readWhole(v2(0x21, 0x11, ipv4("192.0.2.1", "198.51.100.1", 56324, 9000)));
		assertThat(header).isEqualTo(new ProxyHeader(HeaderOutcome.V2, address("192.0.2.1", 56324),
				address("198.51.100.1", 9000), 28));
	}

	@Test
	void aV2HeaderOverIpv6NamesTheClient() throws Exception {
		ByteBuffer addresses = ByteBuffer.allocate(36)
			.put(InetAddress.ofLiteral("2001:db8::1").getAddress())
			.put(InetAddress.ofLiteral("2001:db8::2").getAddress())
			.putShort((short) 40000)
			.putShort((short) 9000);
		ProxyHeader header = readWhole(v2(0x21, 0x21, addresses.array()));
		assertThat(header.source()).isEqualTo(address("2001:db8::1", 40000));
		assertThat(header.length()).isEqualTo(52);
	}

	@Test
	void aV2HeaderSkipsItsTlvsWithinItsLength() throws Exception {
		byte[] addresses = ipv4("192.0.2.1", "198.51.100.1", 1, 2);
		// PP2_TYPE_AWS (0xEA), subtype VPC endpoint ID; then PP2_TYPE_UNIQUE_ID (0x05), 128 bytes
		byte[] endpoint = "\u0001vpce-08d2bf15fac5001c9".getBytes(StandardCharsets.US_ASCII);
		ByteBuffer block = ByteBuffer.allocate(addresses.length + 3 + endpoint.length + 3 + 128)
			.put(addresses)
			.put((byte) 0xEA)
			.putShort((short) endpoint.length)
			.put(endpoint)
			.put((byte) 0x05)
			.putShort((short) 128)
			.put(new byte[128]);
		ProxyHeader header = readWhole(v2(0x21, 0x11, block.array()));
		assertThat(header.source()).isEqualTo(address("192.0.2.1", 1));
		assertThat(header.length()).isEqualTo(16 + block.capacity()).isGreaterThan(TextHeader.MAX_LENGTH);
	}

	@Test
	void aV2HeaderThatArrivesAByteAtATimeIsReadWhenItsLengthIsThere() throws Exception {
		assertReadAtItsLastByte(v2(0x21, 0x11, ipv4("192.0.2.1", "198.51.100.1", 1, 2)));
	}

	@Test
	void aV2LocalHeaderNamesNoClientWhateverItsFamily() throws Exception {
		assertThat(readWhole(v2(0x20, 0x00, new byte[0]))).isEqualTo(ProxyHeader.local(16));
		assertThat(readWhole(v2(0x20, 0x11, ipv4("192.0.2.1", "198.51.100.1", 1, 2))).outcome())
			.isEqualTo(HeaderOutcome.LOCAL);
	}

	/** The specification has a receiver fall back to the socket's addresses for the families it does not serve. */
	@ParameterizedTest
	@ValueSource(ints = { 0x00, 0x12, 0x22, 0x31, 0x32 })
	void aV2ProxyHeaderOfAnotherValidFamilyNamesNoClient(int familyAndProtocol) throws Exception {
		int addresses = switch (familyAndProtocol >> 4) {
			case 1 -> 12;
			case 2 -> 36;
			case 3 -> 216;
			default -> 0;
		};
		assertThat(readWhole(v2(0x21, familyAndProtocol, new byte[addresses])).outcome())
			.isEqualTo(HeaderOutcome.LOCAL);
	}

	@Test
	void plainTextIsNoHeader() {
		assertInvalid(text("GET / HTTP/1.0\r\n\r\n"), "neither a v1 nor a v2");
		assertInvalid(text("HELO\r\n"), "neither a v1 nor a v2");
	}

	@Test
	void theFirstByteThatCannotStartAHeaderEndsTheWait() {
		assertInvalid(text("PROXX"), "neither a v1 nor a v2");
		assertInvalid(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x55 },
				"neither a v1 nor a v2");
	}

	@Test
	void aV1LineWithoutItsEndWithin107BytesIsInvalid() {
		byte[] line = text("PROXY TCP4 192.0.2.1 198.51.100.1 56324 9000" + " ".repeat(100));
		assertInvalid(line, "within 107 bytes");
	}

	@Test
	void aV1LineThatEndsWithoutCrIsInvalid() {
		assertInvalid(text("PROXY TCP4 192.0.2.1 198.51.100.1 56324 9000\n"), "CRLF");
	}

	@ParameterizedTest
	@ValueSource(strings = { "PROXY TCP4 192.0.2.1 198.51.100.1 56324\r\n", "PROXY TCP4 192.0.2.1  198.51.100.1 1 2\r\n",
			"PROXY TCP4 192.0.2.1 198.51.100.1 1 2 3\r\n", "PROXY TCP4 256.0.0.1 198.51.100.1 1 2\r\n",
			"PROXY TCP4 01.2.3.4 198.51.100.1 1 2\r\n", "PROXY TCP4 2001:db8::1 198.51.100.1 1 2\r\n",
			"PROXY TCP6 192.0.2.1 2001:db8::2 1 2\r\n", "PROXY TCP4 192.0.2.1 198.51.100.1 65536 2\r\n",
			"PROXY TCP4 192.0.2.1 198.51.100.1 080 2\r\n", "PROXY TCP4 192.0.2.1 198.51.100.1 -1 2\r\n",
			"PROXY UDP4 192.0.2.1 198.51.100.1 1 2\r\n", "PROXY tcp4 192.0.2.1 198.51.100.1 1 2\r\n",
			"PROXY \r\n", "PROXY TCP4 192.0.2.1 198.51.100.1 1 2\r\r\n" })
	void aMalformedV1LineIsInvalid(String line) {
		assertThatExceptionOfType(InvalidHeaderException.class).isThrownBy(() -> readWhole(text(line)));
	}

	@Test
	void aV2HeaderOfAnotherVersionOrCommandIsInvalid() {
		assertInvalid(v2(0x11, 0x11, ipv4("192.0.2.1", "198.51.100.1", 1, 2)), "version is 2, got 1");
		assertInvalid(v2(0x22, 0x11, ipv4("192.0.2.1", "198.51.100.1", 1, 2)), "command is LOCAL (0) or PROXY (1), got 2");
	}

	@Test
	void aV2HeaderOfAFamilyOutsideTheSpecificationIsInvalid() {
		assertInvalid(v2(0x21, 0x41, new byte[12]), "0x41 is not in the specification");
		assertInvalid(v2(0x21, 0x13, new byte[12]), "0x13 is not in the specification");
	}

	@Test
	void aV2HeaderShorterThanItsAddressesIsInvalid() {
		assertInvalid(v2(0x21, 0x11, new byte[8]), "8 bytes of addresses, at least 12 needed");
	}

	@Test
	void aV2HeaderLongerThanTheLimitIsInvalidAsSoonAsItsLengthIsRead() {
		byte[] fixed = Arrays.copyOf(v2(0x21, 0x11, new byte[0]), 16);
		fixed[14] = (byte) 0xFF;
		fixed[15] = (byte) 0xFF;
		assertInvalid(fixed, "65551 bytes is longer than 4096");
	}

	@Test
	void aHeaderCutShortWaitsForTheRestAndTheEndOfStreamMakesItInvalid() throws Exception {
		byte[] header = v2(0x21, 0x11, ipv4("192.0.2.1", "198.51.100.1", 1, 2));
		Trickle source = new Trickle(Arrays.copyOf(header, 20));
		HeaderReader reader = new HeaderReader();
		assertThat(reader.read(source.more(20))).as("a length past what was sent").isNull();
		assertThatExceptionOfType(InvalidHeaderException.class).isThrownBy(() -> reader.read(source.ended()))
			.withMessageContaining("the stream ended after 20 bytes");
	}

	@Test
	void silenceIsNoHeaderYet() throws Exception {
		assertThat(new HeaderReader().read(new Trickle(new byte[0]))).isNull();
	}

	private static void assertInvalid(byte[] bytes, String message) {
		assertThatExceptionOfType(InvalidHeaderException.class).isThrownBy(() -> readWhole(bytes))
			.withMessageContaining(message);
	}

	/** Feeds a header a byte at a time: it is read at its last byte, and not before. */
	private static void assertReadAtItsLastByte(byte[] header) throws InvalidHeaderException, IOException {
		Trickle source = new Trickle(header);
		HeaderReader reader = new HeaderReader();
		for (int i = 0; i < header.length - 1; i++) {
			assertThat(reader.read(source.more(1))).as("after %d bytes", i + 1).isNull();
		}
		assertThat(reader.read(source.more(1))).isNotNull();
	}

	/** Reads bytes that have all arrived, the stream still open. */
	private static ProxyHeader readWhole(byte[] bytes) throws InvalidHeaderException, IOException {
		Trickle source = new Trickle(bytes);
		ProxyHeader header = new HeaderReader().read(source.more(bytes.length));
		assertThat(header).as("a whole header in %d bytes", bytes.length).isNotNull();
		return header;
	}

	private static byte[] text(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static InetSocketAddress address(String address, int port) {
		return new InetSocketAddress(InetAddress.ofLiteral(address), port);
	}

	/** A connection's bytes as they arrive: as many as let through so far, then nothing, or the end of stream. */
	private static final class Trickle implements HeaderReader.Source {

		private final byte[] bytes;

		private int arrived;

		private int read;

		private boolean ended;

		Trickle(byte[] bytes) {
			this.bytes = bytes;
		}

		Trickle more(int count) {
			this.arrived = Math.min(this.bytes.length, this.arrived + count);
			return this;
		}

		Trickle ended() {
			this.ended = true;
			return this;
		}

		@Override
		public int read(byte[] into, int offset, int length) {
			int n = Math.min(length, this.arrived - this.read);
			if (n == 0) {
				return this.ended ? -1 : 0;
			}
			System.arraycopy(this.bytes, this.read, into, offset, n);
			this.read += n;
			return n;
		}

	}

}
