package io.tcpresponder.responder.connection;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.server.Responders;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.KernelSockets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where TIME_WAIT lands in each close mode, on each transport, with the kernel as witness.
 */
@EachTransport
class CloseModeTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	final Responders responders;

	private TcpResponder responder;

	CloseModeTests(TransportChoice choice) {
		this.responders = new Responders(choice);
	}

	@BeforeEach
	void kernelCanBeAsked() {
		KernelSockets.assumeAvailable();
	}

	@Test
	void serverFirstLeavesTimeWaitOnTheServersPort() {
		int port = start(CloseMode.SERVER_FIRST, Duration.ofSeconds(5));
		KernelSockets.TimeWaitWatch timeWait = KernelSockets.watchTimeWait();
		for (int i = 0; i < 20; i++) {
			assertThat(Clients.fetch(port)).isEqualTo(LINE);
		}
		timeWait.await(() -> KernelSockets.count("time-wait", port), 20);
		assertThat(KernelSockets.countToPort("time-wait", port)).as("clients' TIME_WAIT").isZero();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.responder.connections().counts().snapshot())
			.isEqualTo(new ConnectionCounts.Snapshot(20, 0, 20, 0, 0)));
		assertThat(this.responder.connections().counts().bytesWritten()).isEqualTo(20L * LINE.length());
	}

	@Test
	void clientFirstLeavesTimeWaitOnTheClientsAndTheServersPortClean() {
		int port = start(CloseMode.CLIENT_FIRST, Duration.ofSeconds(5));
		KernelSockets.TimeWaitWatch timeWait = KernelSockets.watchTimeWait();
		for (int i = 0; i < 20; i++) {
			assertThat(Clients.fetchLineAndClose(port)).isEqualTo(LINE);
		}
		await().atMost(WAIT).until(() -> this.responder.connections().counts().completed() == 20);
		// At least one, not one per client: on loopback (net.ipv4.tcp_tw_reuse=2) a later connect may take over the
		// 4-tuple of a client's TIME_WAIT socket, which then goes.
		timeWait.await(() -> KernelSockets.countToPort("time-wait", port), 1);
		assertThat(KernelSockets.count("time-wait", port)).as("server's TIME_WAIT").isZero();
		assertThat(this.responder.connections().counts().snapshot()).isEqualTo(new ConnectionCounts.Snapshot(20, 0, 20, 0, 0));
		assertThat(this.responder.connections().counts().clientCloseTimeouts()).isZero();
	}

	@Test
	void clientFirstClosesAnywayWhenTheClientDoesNotCloseInTime() throws IOException {
		int port = start(CloseMode.CLIENT_FIRST, Duration.ofMillis(300));
		try (Socket lingering = Clients.connect(port)) {
			assertThat(Clients.readLine(lingering)).isEqualTo(LINE);
			assertThat(this.responder.connections().counts().active()).isEqualTo(1);
			assertThat(Clients.readToEnd(lingering)).as("end of stream once the server gives up").isEmpty();
		}
		await().atMost(WAIT).until(() -> this.responder.connections().counts().completed() == 1);
		assertThat(this.responder.connections().counts().clientCloseTimeouts()).isEqualTo(1);
		assertThat(this.responder.connections().counts().failed()).isZero();
	}

	@Test
	void clientFirstKeepsServingWhileClientsLinger() throws IOException {
		int port = start(CloseMode.CLIENT_FIRST, Duration.ofSeconds(30));
		try (Socket lingering = Clients.connect(port)) {
			assertThat(Clients.readLine(lingering)).isEqualTo(LINE);
			for (int i = 0; i < 5; i++) {
				assertThat(Clients.fetchLineAndClose(port)).isEqualTo(LINE);
			}
			await().atMost(WAIT).until(() -> this.responder.connections().counts().completed() == 5);
			assertThat(this.responder.connections().counts().active()).isEqualTo(1);
		}
		await().atMost(WAIT).until(() -> this.responder.connections().counts().completed() == 6);
	}

	private int start(CloseMode closeMode, Duration clientCloseTimeout) {
		this.responder = this.responders.start(Responders.anyPort(), LINE, closeMode,
				Duration.ofSeconds(5), clientCloseTimeout);
		return this.responder.settings().port();
	}

}
