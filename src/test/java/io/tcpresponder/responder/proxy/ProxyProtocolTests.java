package io.tcpresponder.responder.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.AccessLog;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.connection.FailureReason;
import io.tcpresponder.responder.limit.ConnectionLimits;
import io.tcpresponder.responder.limit.Refusal;
import io.tcpresponder.responder.server.ListenerSettings;
import io.tcpresponder.responder.server.Responders;
import io.tcpresponder.responder.server.RestartMode;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.AccessLogLines;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tcpresponder.support.Clients.LINE;
import static io.tcpresponder.responder.proxy.BinaryHeaders.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The PROXY protocol on real sockets, on each transport, with headers written by hand: the line right after a whole
 * header and never before, the client it names counted and logged, and every way a header can fail closed without
 * the line and counted, while the accept path and good clients go on.
 */
@EachTransport
class ProxyProtocolTests {

	/** Bounds a wait on the counts: a failure, not a speed claim. */
	private static final Duration WAIT = Duration.ofSeconds(30);

	/** Short, so that a test sees a header time out; the default is 3 s. */
	private static final Duration HEADER_TIMEOUT = Duration.ofMillis(300);

	private static final InetAddress PROXY = InetAddress.ofLiteral("127.0.0.1");

	@RegisterExtension
	final Responders responders;

	ProxyProtocolTests(TransportChoice choice) {
		this.responders = new Responders(choice);
	}

	@Test
	void aV1HeaderIsFollowedByTheLineAndNamesTheClient() throws IOException {
		try (AccessLogLines log = AccessLogLines.keep()) {
			TcpResponder responder = start(proxyProtocol(), ConnectionLimits.NONE, new AccessLog(true));
			Socket client = connect(responder);
			send(client, "PROXY TCP4 192.0.2.1 198.51.100.1 56324 9000\r\n");
			assertThat(Clients.readToEnd(client)).isEqualTo(LINE);
			assertThat(headers(responder, HeaderOutcome.V1)).isEqualTo(1);
			await().atMost(WAIT).until(() -> log.size() == 1);
			Map<String, Object> line = AccessLogLines.fields(log.events().getFirst());
			assertThat(line).containsEntry("client.address", "192.0.2.1")
				.containsEntry("client.port", 56324L)
				.containsEntry("proxy.address", "127.0.0.1")
				.containsEntry("proxy.port", (long) client.getLocalPort())
				.containsEntry("outcome", "completed");
			assertThat(log.events().getFirst().getFormattedMessage()).startsWith("client=192.0.2.1 port=56324 ")
				.endsWith(" proxy=127.0.0.1 proxy_port=" + client.getLocalPort());
		}
	}

	@Test
	void aV2HeaderOverIpv6InPiecesIsFollowedByTheLine() throws Exception {
		TcpResponder responder = start(proxyProtocol(), ConnectionLimits.NONE, AccessLog.OFF);
		Socket client = connect(responder);
		byte[] header = v2(0x21, 0x21, ByteBuffer.allocate(36 + 7)
			.put(InetAddress.ofLiteral("2001:db8::7").getAddress())
			.put(InetAddress.ofLiteral("2001:db8::1").getAddress())
			.putShort((short) 40000)
			.putShort((short) 9000)
			// a TLV: PP2_TYPE_AUTHORITY, "host"
			.put((byte) 0x02)
			.putShort((short) 4)
			.put("host".getBytes(StandardCharsets.US_ASCII))
			.array());
		client.getOutputStream().write(header, 0, 10);
		client.getOutputStream().flush();
		await().atMost(WAIT).until(() -> responder.connections().counts().snapshot().active() == 1);
		assertThat(client.getInputStream().available()).as("no line before the whole header").isZero();
		client.getOutputStream().write(header, 10, header.length - 10);
		assertThat(Clients.readToEnd(client)).isEqualTo(LINE);
		assertThat(headers(responder, HeaderOutcome.V2)).isEqualTo(1);
	}

	@Test
	void aLocalHeaderIsServedAsTheSocketsPeer() throws IOException {
		TcpResponder responder = start(proxyProtocol(), ConnectionLimits.NONE, AccessLog.OFF);
		Socket check = connect(responder);
		check.getOutputStream().write(v2(0x20, 0x00, new byte[0]));
		assertThat(Clients.readToEnd(check)).isEqualTo(LINE);
		Socket unknown = connect(responder);
		send(unknown, "PROXY UNKNOWN\r\n");
		assertThat(Clients.readToEnd(unknown)).isEqualTo(LINE);
		assertThat(headers(responder, HeaderOutcome.LOCAL)).isEqualTo(2);
	}

	/** Each is closed without the line, counted invalid and failed: the counts stay whole. */
	@Test
	void whatIsNoHeaderIsClosedWithoutTheLine() throws IOException {
		TcpResponder responder = start(proxyProtocol(), ConnectionLimits.NONE, AccessLog.OFF);
		List<byte[]> hostile = List.of(bytes("GET / HTTP/1.0\r\n\r\n"), bytes("PROXY TCP4 192.0.2.1\r\n"),
				bytes("PROXY TCP4 192.0.2.1 198.51.100.1 56324 9000" + " ".repeat(100)),
				v2(0x11, 0x11, new byte[12]), v2(0x21, 0x41, new byte[12]), bytes("hello\n"));
		for (byte[] bytes : hostile) {
			Socket client = connect(responder);
			client.getOutputStream().write(bytes);
			assertThat(Clients.endsWithoutALine(client)).as(new String(bytes, StandardCharsets.ISO_8859_1)).isTrue();
		}
		Socket closes = connect(responder);
		send(closes, "PROXY TCP4 192.0.2.1 ");
		closes.shutdownOutput();
		assertThat(Clients.endsWithoutALine(closes)).as("the end of stream before a whole header").isTrue();
		await().atMost(WAIT).until(() -> headers(responder, HeaderOutcome.INVALID) == hostile.size() + 1);
		ConnectionCounts counts = responder.connections().counts();
		await().atMost(WAIT).until(() -> counts.failed(FailureReason.PROXY_INVALID) == hostile.size() + 1);
		assertThat(counts.snapshot().accepted()).isEqualTo(hostile.size() + 1);
		assertThat(counts.completed()).isZero();
	}

	/** Silence, a header cut short, and a v2 length past what is sent: each closed at the header timeout. */
	@Test
	void aHeaderNotWholeInTimeIsClosedWithoutTheLine() throws IOException {
		TcpResponder responder = start(proxyProtocol(), ConnectionLimits.NONE, AccessLog.OFF);
		Socket silent = connect(responder);
		Socket cut = connect(responder);
		send(cut, "PROXY TCP4 192.0.2.1 198.51.100.1");
		Socket longer = connect(responder);
		byte[] header = v2(0x21, 0x11, new byte[12]);
		longer.getOutputStream().write(header, 0, 20);
		for (Socket client : List.of(silent, cut, longer)) {
			assertThat(Clients.endsWithoutALine(client)).isTrue();
		}
		await().atMost(WAIT).until(() -> headers(responder, HeaderOutcome.TIMEOUT) == 3);
		assertThat(responder.connections().counts().failed(FailureReason.PROXY_TIMEOUT)).isEqualTo(3);
	}

	/**
	 * With trusted proxies named, a connection from another peer is a direct client, served at once; one from a
	 * trusted proxy must send a header, whatever its bytes look like.
	 */
	@Test
	void onlyTrustedProxiesMustSendAHeader() throws IOException {
		ProxyProtocol trusted = proxyProtocol().withTrustedProxies(List.of(AddressBlock.parse("127.0.0.2/32")));
		TcpResponder responder = start(trusted, ConnectionLimits.NONE, AccessLog.OFF);
		int port = responder.settings().port();
		assertThat(Clients.readToEnd(connect(responder))).as("127.0.0.1 is a direct client").isEqualTo(LINE);
		assertThat(headers(responder, HeaderOutcome.UNTRUSTED_WITHOUT_HEADER)).isEqualTo(1);
		Socket proxy = this.responders.hold(InetAddress.ofLiteral("127.0.0.2"), port);
		assertThat(Clients.endsWithoutALine(proxy)).as("127.0.0.2 sends no header: closed at the timeout").isTrue();
		Socket proxied = this.responders.hold(InetAddress.ofLiteral("127.0.0.2"), port);
		send(proxied, "PROXY TCP4 192.0.2.9 198.51.100.1 1 2\r\n");
		assertThat(Clients.readToEnd(proxied)).isEqualTo(LINE);
		await().atMost(WAIT).until(() -> headers(responder, HeaderOutcome.TIMEOUT) == 1);
		assertThat(headers(responder, HeaderOutcome.V1)).isEqualTo(1);
	}

	/**
	 * The per-client limit counts the client a header names, not the proxy; a connection waiting for its header holds
	 * a place against max-connections.
	 */
	@Test
	void theLimitsCountTheClientsBehindTheProxy() throws IOException {
		TcpResponder responder = start(proxyProtocol().withHeaderTimeout(Duration.ofSeconds(30)),
				new ConnectionLimits(4, 1, 32, 64), AccessLog.OFF, CloseMode.CLIENT_FIRST);
		Socket first = connect(responder);
		send(first, "PROXY TCP4 192.0.2.1 198.51.100.1 1000 9000\r\n");
		assertThat(Clients.readLine(first)).isEqualTo(LINE);
		Socket again = connect(responder);
		send(again, "PROXY TCP4 192.0.2.1 198.51.100.1 1001 9000\r\n");
		assertThat(Clients.endsWithoutALine(again)).as("192.0.2.1 holds one already").isTrue();
		Socket other = connect(responder);
		send(other, "PROXY TCP4 192.0.2.2 198.51.100.1 1002 9000\r\n");
		assertThat(Clients.readLine(other)).as("192.0.2.2 is another client behind the same proxy").isEqualTo(LINE);
		await().atMost(WAIT)
			.until(() -> responder.connections().counts().refused(Refusal.MAX_CONNECTIONS_PER_CLIENT) == 1);
		Socket waiting = connect(responder);
		Socket alsoWaiting = connect(responder);
		await().atMost(WAIT).until(() -> responder.connections().admission().held(0).connections() == 4);
		Socket over = connect(responder);
		assertThat(Clients.endsWithoutALine(over)).as("two held, two waiting for their header: four").isTrue();
		// The client sees the reset as the responder closes, before it counts the refusal.
		await().atMost(WAIT).until(() -> responder.connections().counts().refused(Refusal.MAX_CONNECTIONS) == 1);
		send(waiting, "PROXY TCP4 192.0.2.3 198.51.100.1 1003 9000\r\n");
		assertThat(Clients.readLine(waiting)).isEqualTo(LINE);
		assertThat(alsoWaiting.isClosed()).isFalse();
	}

	/** Three hundred connections that send nothing wait apart from the accept path: a good client is served. */
	@Test
	void silentConnectionsDoNotHoldUpAGoodClient() throws IOException {
		TcpResponder responder = start(proxyProtocol().withHeaderTimeout(Duration.ofSeconds(60)),
				ConnectionLimits.NONE, AccessLog.OFF);
		for (int i = 0; i < 300; i++) {
			connect(responder);
		}
		await().atMost(WAIT).until(() -> responder.connections().counts().snapshot().active() == 300);
		Socket good = connect(responder);
		send(good, "PROXY TCP4 192.0.2.1 198.51.100.1 1 2\r\n");
		assertThat(Clients.readToEnd(good)).isEqualTo(LINE);
		await().atMost(WAIT).until(() -> responder.connections().counts().completed() == 1);
		assertThat(responder.connections().counts().snapshot().active()).as("the silent ones still wait")
			.isEqualTo(300);
		assertThat(headers(responder, HeaderOutcome.TIMEOUT)).isZero();
	}

	/** A restart changes the setting for the connections that come next. */
	@Test
	void aRestartTurnsItOnAndOff() throws IOException {
		TcpResponder responder = start(ProxyProtocol.OFF, ConnectionLimits.NONE, AccessLog.OFF);
		int port = responder.settings().port();
		assertThat(Clients.fetch(port)).isEqualTo(LINE);
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings.withProxyProtocol(proxyProtocol()))
			.bound()).isTrue();
		Socket client = connect(responder);
		send(client, "PROXY TCP4 192.0.2.1 198.51.100.1 1 2\r\n");
		assertThat(Clients.readToEnd(client)).isEqualTo(LINE);
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings.withProxyProtocol(ProxyProtocol.OFF))
			.bound()).isTrue();
		assertThat(Clients.fetch(port)).isEqualTo(LINE);
		assertThat(headers(responder, HeaderOutcome.V1)).isEqualTo(1);
	}

	private TcpResponder start(ProxyProtocol proxyProtocol, ConnectionLimits limits, AccessLog accessLog) {
		return start(proxyProtocol, limits, accessLog, CloseMode.SERVER_FIRST);
	}

	/** With {@link CloseMode#CLIENT_FIRST} a client holds its connection until it closes it. */
	private TcpResponder start(ProxyProtocol proxyProtocol, ConnectionLimits limits, AccessLog accessLog,
			CloseMode closeMode) {
		ListenerSettings settings = Responders.settings(List.of(PROXY), 0, SocketOptionsProperties.defaults().withBacklog(512))
			.withLimits(limits)
			.withProxyProtocol(proxyProtocol);
		return this.responders.start(settings, LINE, closeMode, Duration.ofSeconds(60), accessLog);
	}

	private static ProxyProtocol proxyProtocol() {
		return new ProxyProtocol(true, List.of(), HEADER_TIMEOUT);
	}

	private Socket connect(TcpResponder responder) throws IOException {
		return this.responders.hold(PROXY, responder.settings().port());
	}

	private static long headers(TcpResponder responder, HeaderOutcome outcome) {
		return responder.connections().headerCounts().count(outcome);
	}

	private static void send(Socket socket, String text) throws IOException {
		socket.getOutputStream().write(bytes(text));
		socket.getOutputStream().flush();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
