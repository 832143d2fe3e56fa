package io.tcpresponder.responder.limit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.AccessLog;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.server.Responders;
import io.tcpresponder.responder.server.RestartMode;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.AccessLogLines;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.Ports;
import io.tcpresponder.transport.SocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection limits and the access log on real sockets, on each transport: clients from several loopback
 * addresses (127.0.0.0/8 is all the machine's) that hold their connections in client-first mode.
 */
@EachTransport
class ConnectionLimitsTests {

	/** Bounds a wait on the counts: a failure, not a speed claim. */
	private static final Duration WAIT = Duration.ofSeconds(30);

	/** Long enough that no held connection times out during a test. */
	private static final Duration HELD = Duration.ofSeconds(60);

	@RegisterExtension
	final Responders responders;

	ConnectionLimitsTests(TransportChoice choice) {
		this.responders = new Responders(choice);
	}

	@Test
	void theLimitInAllHoldsWithManyClientsAndTheCountsStayExactAcrossARestart() throws IOException {
		TcpResponder responder = start(new ConnectionLimits(50, 0, 32, 64), AccessLog.OFF);
		int port = responder.settings().port();
		for (int i = 0; i < 80; i++) {
			this.responders.hold(InetAddress.ofLiteral("127.0.0." + (1 + i % 40)), port);
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(responder.connections().counts().snapshot())
			.isEqualTo(new ConnectionCounts.Snapshot(80, 50, 0, 0, 30)));
		assertThat(responder.connections().counts().refused(Refusal.MAX_CONNECTIONS)).isEqualTo(30);
		assertThat(responder.connections().admission().held(0).connections()).isEqualTo(50);

		// The held connections outlive the listener they came from; the new limit counts them.
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND,
				(settings) -> settings.withLimits(settings.limits().withMaxConnections(60)))
			.bound()).isTrue();
		for (int i = 0; i < 20; i++) {
			this.responders.hold(InetAddress.ofLiteral("127.0.1." + (1 + i)), port);
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(responder.connections().counts().snapshot())
			.isEqualTo(new ConnectionCounts.Snapshot(100, 60, 0, 0, 40)));
		this.responders.resetHeld();
		await().atMost(WAIT).untilAsserted(() -> assertThat(responder.connections().counts().snapshot())
			.isEqualTo(new ConnectionCounts.Snapshot(100, 0, 60, 0, 40)));
		assertThat(responder.connections().admission().held(5)).isEqualTo(new Admission.Held(0, 0, List.of()));
	}

	@Test
	void aClientOverItsShareIsRefusedWhileOthersAreServed() throws IOException {
		TcpResponder responder = start(new ConnectionLimits(100, 5, 32, 64), AccessLog.OFF);
		int port = responder.settings().port();
		InetAddress abuser = InetAddress.ofLiteral("127.0.0.2");
		for (int i = 0; i < 20; i++) {
			this.responders.hold(abuser, port);
		}
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(responder.connections().counts().refused(Refusal.MAX_CONNECTIONS_PER_CLIENT)).isEqualTo(15));
		for (int i = 0; i < 10; i++) {
			assertThat(Clients.fetchLineAndReset(InetAddress.ofLiteral("127.0.0.1"), port)).isEqualTo(LINE);
			// Its connection counts until the responder has seen its reset: the next one comes after that.
			long completed = i + 1;
			await().atMost(WAIT).until(() -> responder.connections().counts().completed() == completed);
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(responder.connections().counts().snapshot())
			.isEqualTo(new ConnectionCounts.Snapshot(30, 5, 10, 0, 15)));
		assertThat(responder.connections().admission().held(5)).isEqualTo(new Admission.Held(5, 1,
				List.of(new Admission.Client("127.0.0.2", 5))));
		assertThat(responder.connections().admission().busiestClient()).isEqualTo(5);
	}

	@Test
	void theAccessLogHasOneLinePerConnectionWithItsClientAndHowItEnded() throws IOException {
		try (AccessLogLines lines = AccessLogLines.keep()) {
			TcpResponder responder = start(new ConnectionLimits(100, 1, 32, 64), new AccessLog(true));
			int port = responder.settings().port();
			for (int i = 0; i < 3; i++) {
				assertThat(Clients.fetchLineAndClose(port)).isEqualTo(LINE);
				// One per client: the next comes once the responder has seen this one's close.
				await().atMost(WAIT).until(() -> responder.connections().admission().held(0).connections() == 0);
			}
			Socket holding = this.responders.hold(InetAddress.ofLiteral("127.0.0.3"), port);
			assertThat(Clients.readLine(holding)).isEqualTo(LINE);
			Socket refused = this.responders.hold(InetAddress.ofLiteral("127.0.0.3"), port);
			await().atMost(WAIT).until(() -> responder.connections().counts().refused() == 1);
			assertThat(Clients.endsWithoutALine(refused)).as("reset, no line").isTrue();
			holding.close();
			await().atMost(WAIT).until(() -> lines.size() == 5);
			List<Map<String, Object>> fields = lines.fields();
			assertThat(fields).filteredOn((line) -> "127.0.0.1".equals(line.get("client.address")))
				.hasSize(3)
				.allSatisfy((line) -> assertThat(line).containsEntry("outcome", "client-closed")
					.containsEntry("bytes", (long) LINE.length())
					.containsEntry("local.address", "127.0.0.1")
					.containsEntry("local.port", String.valueOf(port))
					.containsKeys("client.port", "accepted_at", "duration_ms"));
			assertThat(fields).filteredOn((line) -> "127.0.0.3".equals(line.get("client.address")))
				.extracting((line) -> line.get("outcome"))
				.containsExactlyInAnyOrder("refused-max-connections-per-client", "client-closed");
			assertThat(lines.events()).allSatisfy((line) -> assertThat(line.getThreadName()).isEqualTo("responder-access-log"));
			assertThat(lines.events().getFirst().getFormattedMessage()).startsWith("client=127.0.0.1 port=")
				.contains("local=127.0.0.1 local_port=" + port, "bytes=" + LINE.length(), "outcome=client-closed");
		}
	}

	@Test
	void underLoadAndRestartsTheCountsStayExactAndTheAccessLogHasALinePerConnection() throws Exception {
		try (AccessLogLines lines = AccessLogLines.keep()) {
			// Two client threads per address, each one connection at a time: both limits are met now and then.
			TcpResponder responder = start(new ConnectionLimits(3, 1, 32, 64), new AccessLog(true));
			int port = responder.settings().port();
			java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
			java.util.concurrent.atomic.AtomicBoolean going = new java.util.concurrent.atomic.AtomicBoolean(true);
			List<Thread> clients = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				InetAddress from = InetAddress.ofLiteral("127.0.0." + (1 + t / 2));
				clients.add(Thread.ofPlatform().start(() -> {
					for (int i = 0; i < 150 || going.get(); i++) {
						if (LINE.equals(Clients.fetchLineAndReset(from, port))) {
							received.incrementAndGet();
						}
					}
				}));
			}
			for (int i = 0; i < 3; i++) {
				await().atMost(WAIT).until(() -> responder.connections().counts().refused() > 0 && responder.connections().counts().completed() > 0);
				assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).isTrue();
			}
			going.set(false);
			for (Thread client : clients) {
				client.join();
			}
			await().atMost(WAIT).until(() -> responder.connections().counts().active() == 0);
			ConnectionCounts.Snapshot counts = responder.connections().counts().snapshot();
			assertThat(counts.accepted()).isEqualTo(counts.completed() + counts.failed() + counts.refused());
			assertThat(counts.completed()).isEqualTo(received.get());
			assertThat(responder.connections().counts().refused(Refusal.MAX_CONNECTIONS)).isPositive();
			assertThat(responder.connections().counts().refused(Refusal.MAX_CONNECTIONS_PER_CLIENT)).isPositive();
			assertThat(responder.connections().admission().held(5).connections()).isZero();
			await().atMost(WAIT).until(() -> lines.size() == counts.accepted());
			assertThat(lines.fields()).extracting((line) -> String.valueOf(line.get("outcome")))
				.filteredOn((outcome) -> outcome.startsWith("refused-"))
				.hasSize((int) counts.refused());
		}
	}





	/**
	 * A port outside the ephemeral range, not 0: while a restart has the port closed, a client's connect may take an
	 * ephemeral port as its own, and the port the kernel picked for a listener is one (seen: the restart refused,
	 * "held by 1 socket in another state", a client's SYN_SENT).
	 */
	private TcpResponder start(ConnectionLimits limits, AccessLog accessLog) {
		SocketOptions options = SocketOptionsProperties.defaults().withBacklog(128);
		return this.responders.start(Responders.settings(List.of(), Ports.unused(), options).withLimits(limits), LINE,
				CloseMode.CLIENT_FIRST, HELD, accessLog);
	}

}
