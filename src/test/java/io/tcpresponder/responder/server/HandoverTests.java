package io.tcpresponder.responder.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Consumer;

import io.tcpresponder.kernel.Sysctl;
import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.Load;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Restarts under continuous load, on each transport: a handover with SO_REUSEPORT against close-then-bind.
 */
@EachTransport
class HandoverTests {

	private static final int CLIENTS = 64;

	private static final int RESTARTS = 20;

	@RegisterExtension
	final Responders responders;

	private TcpResponder responder;

	HandoverTests(TransportChoice choice) {
		this.responders = new Responders(choice);
	}

	@ParameterizedTest(name = "acceptors={0}")
	@ValueSource(ints = { 1, 2, 4 })
	void handoverUnderLoadLosesNothing(int acceptors) {
		OptionalLong migrate = Sysctl.read("net.ipv4.tcp_migrate_req");
		Load.Outcomes outcome = restartUnderLoad(true, acceptors,
				(responder) -> assertThat(responder.restart(RestartMode.HANDOVER, (s) -> s).bound()).isTrue());
		System.out.println("FIGURES handover transport=" + this.responders.choice().value() + " acceptors=" + acceptors
				+ " restarts=" + RESTARTS + " clients=" + CLIENTS + " " + describe(outcome) + " tcp_migrate_req="
				+ (migrate.isPresent() ? migrate.getAsLong() : "missing"));
		assertThat(outcome.partial()).as("partial lines").isZero();
		assertThat(this.responder.connections().counts().restarts(true)).isEqualTo(RESTARTS);
		assertThat(this.responder.settings().options().acceptors()).isEqualTo(acceptors);
		// Every connection a client got its line on was counted once, whichever acceptor took it.
		await().atMost(Duration.ofSeconds(20)).until(() -> this.responder.connections().counts().read().active() == 0);
		ConnectionCounts.Reading counts = this.responder.connections().counts().read();
		assertThat(counts.accepted()).isEqualTo(counts.completed() + counts.failed());
		assertThat(counts.completed()).isGreaterThanOrEqualTo(outcome.whole());
		if (this.responders.choice() == TransportChoice.NATIVE) {
			// New connections go to the new listener before the old one closes, and it closes holding none: nothing
			// is left for the kernel to move or reset, whatever net.ipv4.tcp_migrate_req says.
			assertThat(outcome.nothing()).as("connections lost of %s", outcome).isZero();
			return;
		}
		if (migrate.isEmpty() || migrate.getAsLong() != 1) {
			String reason = "net.ipv4.tcp_migrate_req is " + (migrate.isPresent() ? migrate.getAsLong() : "missing")
					+ ": the kernel resets what a closing nio listener leaves in its accept queue instead of moving it "
					+ "to the new listener (set it to 1, as .ci/run does)";
			if ("true".equals(System.getenv("CI"))) {
				fail(reason + "; CI must set it");
			}
			Assumptions.abort(reason);
		}
		// NIO cannot steer new connections (the JDK has no option for a reuseport program): a handshake that completes
		// at the very instant the old listener closes is lost, about once in a hundred handovers here, where a
		// close-then-bind loses thousands.
		assertThat(outcome.nothing() - outcome.notConnected()).as("reset connections").isZero();
		assertThat(outcome.notConnected()).as("connections lost of %s", outcome)
			.isLessThanOrEqualTo(Math.max(2, outcome.whole() / 5000));
	}

	@Test
	void closeThenBindUnderLoadRefusesOrResetsConnections() {
		Load.Outcomes outcome = restartUnderLoad(false, 1, (responder) -> assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (s) -> s).bound()).isTrue());
		System.out.println("FIGURES close-then-bind transport=" + this.responders.choice().value() + " restarts=" + RESTARTS
				+ " clients=" + CLIENTS + " " + describe(outcome));
		assertThat(outcome.partial()).as("partial lines").isZero();
		assertThat(this.responder.connections().counts().restarts(true)).isEqualTo(RESTARTS);
		// Between the close and the bind the port has no listener: connects are refused, and what the closed
		// listener's accept queue held is reset.
		assertThat(outcome.nothing()).as("connections refused or reset, of %s", outcome).isPositive();
	}

	@Test
	void handoverNeedsReusePort() {
		this.responder = this.responders.start(Responders.anyPort(), LINE,
				CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5));
		assertThat(this.responder.restart(RestartMode.HANDOVER, (s) -> s)).asInstanceOf(
				org.assertj.core.api.InstanceOfAssertFactories.type(RestartResult.Refused.class))
			.extracting(RestartResult.Refused::detail)
			.asString()
			.contains("reusePort");
		assertThat(this.responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(Clients.fetch(this.responder.settings().port())).isEqualTo(LINE);
	}

	@Test
	void aFailedHandoverKeepsTheOldListener() throws IOException {
		this.responder = this.responders.start(Responders.anyPort(SocketOptionsProperties.defaults().withReusePort(true).withBacklog(32)), LINE,
				CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5));
		int port = this.responder.settings().port();
		try (ServerSocket holder = new ServerSocket(0)) {
			assertThat(this.responder.restart(RestartMode.HANDOVER, (s) -> s.withPort(holder.getLocalPort())).bound()).isFalse();
		}
		assertThat(this.responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(this.responder.settings().port()).as("the port of the listener still serving").isEqualTo(port);
		assertThat(this.responder.status().lastError().code()).isEqualTo("EADDRINUSE");
		assertThat(this.responder.connections().counts().restarts(false)).isEqualTo(1);
		assertThat(Clients.fetch(port)).isEqualTo(LINE);
	}

	private Load.Outcomes restartUnderLoad(boolean reusePort, int acceptors, Consumer<TcpResponder> restart) {
		this.responder = this.responders.start(Responders.anyPort(SocketOptionsProperties.defaults().withReusePort(reusePort)
			.withBacklog(4096)
			.withAcceptors(acceptors)), LINE,
				CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5));
		try (Load load = Load.start(this.responder.settings().port(), LINE, CLIENTS, Clients.TIMEOUT_MILLIS)) {
			for (int i = 0; i < RESTARTS; i++) {
				long before = this.responder.connections().counts().completed();
				await().atMost(Duration.ofSeconds(20)).until(() -> this.responder.connections().counts().completed() >= before + 200);
				restart.accept(this.responder);
			}
			return load.stop();
		}
	}

	private static String describe(Load.Outcomes outcomes) {
		return "whole=" + outcomes.whole() + " partial=" + outcomes.partial() + " refused="
				+ outcomes.notConnected() + " reset=" + (outcomes.nothing() - outcomes.notConnected()) + " connPerSec="
				+ outcomes.perSecond();
	}

}
