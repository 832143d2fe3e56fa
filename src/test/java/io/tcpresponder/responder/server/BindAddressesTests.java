package io.tcpresponder.responder.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.tcpresponder.kernel.Sysctl;
import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.support.Load;
import io.tcpresponder.support.Ports;
import io.tcpresponder.transport.KernelError;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Several local addresses on one port, on each transport with real sockets on loopback (Linux answers all of
 * 127.0.0.0/8, so 127.0.0.2 is an address of this host): one listener per address, each with its own state, and the
 * kernel's refusals reported as they come.
 */
@EachTransport
class BindAddressesTests {

	private static final InetAddress FIRST = InetAddress.ofLiteral("127.0.0.1");

	private static final InetAddress SECOND = InetAddress.ofLiteral("127.0.0.2");

	private static final InetAddress IPV6_LOOPBACK = InetAddress.ofLiteral("::1");

	private static final InetAddress EVERY_IPV4_ADDRESS = InetAddress.ofLiteral("0.0.0.0");

	private static final InetAddress EVERY_IPV6_ADDRESS = InetAddress.ofLiteral("::");

	private static final int RESTARTS = 10;

	@RegisterExtension
	final Responders responders;

	BindAddressesTests(TransportChoice choice) {
		this.responders = new Responders(choice);
	}

	@Test
	void anIpv4AndAnIpv6AddressOnPortZeroShareTheChosenPortAndBothServe() throws IOException {
		assumeIpv6Loopback();
		TcpResponder responder = start(settings(List.of(FIRST, IPV6_LOOPBACK), 0, false));
		int port = responder.settings().port();
		assertThat(port).isPositive();
		assertThat(responder.listenerStatuses()).extracting(ListenerStatus::address, ListenerStatus::state)
			.containsExactly(tuple("127.0.0.1", ListenerState.LISTENING),
					tuple("::1", ListenerState.LISTENING));
		assertThat(responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(Clients.fetch(FIRST, port)).isEqualTo(LINE);
		assertThat(Clients.fetch(IPV6_LOOPBACK, port)).isEqualTo(LINE);
		assertThatExceptionOfType(ConnectException.class).as("not listening on 127.0.0.2")
			.isThrownBy(() -> Clients.connect(SECOND, port).close());
	}

	/**
	 * An IPv4 address gets an IPv4 socket on both transports (the JDK would open a dual-stack one and bind
	 * ::ffff:127.0.0.1), as a C server binds it and as ss shows it.
	 */
	@Test
	void anIpv4AddressIsBoundWithAnIpv4Socket() {
		KernelSockets.assumeAvailable();
		assumeIpv6Loopback();
		int port = Ports.unused();
		start(settings(List.of(FIRST, IPV6_LOOPBACK), port, false));
		assertThat(KernelSockets.listening(port)).containsExactlyInAnyOrder("127.0.0.1:" + port, "[::1]:" + port);
	}

	@Test
	void twoIpv4AddressesOnOnePortEachHaveAListener() throws IOException {
		KernelSockets.assumeAvailable();
		int port = Ports.unused();
		TcpResponder responder = start(settings(List.of(FIRST, SECOND), port, false));
		assertThat(responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(Clients.fetch(FIRST, port)).isEqualTo(LINE);
		assertThat(Clients.fetch(SECOND, port)).isEqualTo(LINE);
		assertThat(KernelSockets.count("listening", port)).isEqualTo(2);
		assertThat(responder.connections().counts().accepted()).as("counts are totals").isEqualTo(2);
	}

	@Test
	void anAddressHeldByAnotherSocketFailsAloneAndARestartBindsItOnceFree() throws IOException {
		int port = Ports.unused();
		TcpResponder responder = responder(settings(List.of(FIRST, SECOND), port, false));
		try (ServerSocket holder = new ServerSocket()) {
			holder.bind(new InetSocketAddress(SECOND, port));
			assertThatExceptionOfType(ResponderBindException.class).isThrownBy(responder::start)
				.withMessageStartingWith("Unable to start the TCP responder on 127.0.0.2 port " + port
						+ ": EADDRINUSE (Address already in use), held by 1 listening socket (inode ");
			List<ListenerStatus> listeners = responder.listenerStatuses();
			assertThat(listeners.get(0).state()).isEqualTo(ListenerState.LISTENING);
			assertThat(listeners.get(0).lastError()).isNull();
			assertThat(listeners.get(1).state()).isEqualTo(ListenerState.FAILED);
			assertThat(listeners.get(1).lastError()).isEqualTo(
					new KernelError("EADDRINUSE", 98, "Address already in use", "bind"));
			ResponderStatus whole = responder.status();
			assertThat(whole.state()).isEqualTo(ResponderState.PARTIALLY_LISTENING);
			assertThat(whole.lastError()).isEqualTo(listeners.get(1).lastError());
			assertThat(Clients.fetch(FIRST, port)).as("the other address serves").isEqualTo(LINE);
			assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).as("a restart while it is held").isFalse();
			assertThat(responder.status().state()).isEqualTo(ResponderState.PARTIALLY_LISTENING);
		}
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).isTrue();
		assertThat(responder.listenerStatuses()).extracting(ListenerStatus::state)
			.containsExactly(ListenerState.LISTENING, ListenerState.LISTENING);
		assertThat(responder.status().lastError()).isNull();
		assertThat(Clients.fetch(FIRST, port)).isEqualTo(LINE);
		assertThat(Clients.fetch(SECOND, port)).isEqualTo(LINE);
		assertThat(responder.connections().counts().restarts(false)).isEqualTo(1);
		assertThat(responder.connections().counts().restarts(true)).isEqualTo(1);
	}

	@Test
	void everyAddressHeldFailsTheWhole() throws IOException {
		int port = Ports.unused();
		TcpResponder responder = responder(settings(List.of(FIRST, SECOND), port, false));
		try (ServerSocket first = new ServerSocket(); ServerSocket second = new ServerSocket()) {
			first.bind(new InetSocketAddress(FIRST, port));
			second.bind(new InetSocketAddress(SECOND, port));
			assertThatExceptionOfType(ResponderBindException.class).isThrownBy(responder::start)
				.withMessageStartingWith("Unable to start the TCP responder on 127.0.0.1 port " + port
						+ ": EADDRINUSE (Address already in use), held by 1 listening socket (inode ")
				.withMessageContaining("; on 127.0.0.2 port " + port
						+ ": EADDRINUSE (Address already in use), held by 1 listening socket (inode ")
				.satisfies((ex) -> assertThat(ex.getFailures()).extracting(ResponderBindException.Failure::address)
					.containsExactly("127.0.0.1", "127.0.0.2"));
			assertThat(responder.status().state()).isEqualTo(ResponderState.FAILED);
		}
	}

	/**
	 * With SO_REUSEADDR on both, Linux refuses a specific address on a port where the wildcard listens (BSD would
	 * allow it): the second listener reports the kernel's refusal, the first serves every address.
	 */
	@Test
	void aWildcardAndASpecificAddressOnOnePortIsRefusedByTheKernel() throws IOException {
		int port = Ports.unused();
		TcpResponder responder = responder(settings(List.of(EVERY_IPV4_ADDRESS, FIRST), port, false));
		assertThatExceptionOfType(ResponderBindException.class).isThrownBy(responder::start)
			.withMessageStartingWith("Unable to start the TCP responder on 127.0.0.1 port " + port
					+ ": EADDRINUSE (Address already in use), held by 1 listening socket (inode ");
		assertThat(responder.listenerStatuses()).extracting(ListenerStatus::address, ListenerStatus::state)
			.containsExactly(tuple("0.0.0.0", ListenerState.LISTENING),
					tuple("127.0.0.1", ListenerState.FAILED));
		assertThat(responder.listenerStatuses().get(1).lastError().errno()).isEqualTo(98);
		assertThat(responder.status().state()).isEqualTo(ResponderState.PARTIALLY_LISTENING);
		assertThat(Clients.fetch(SECOND, port)).as("the wildcard serves 127.0.0.2").isEqualTo(LINE);
	}

	/**
	 * With IPV6_V6ONLY {@code ::} covers IPv6 addresses only, so {@code 0.0.0.0} shares the port: IPv4 clients reach
	 * one listener, IPv6 clients the other. Only the native transport can set the option.
	 */
	@Test
	void withIpv6OnlyTheIpv6AndTheIpv4WildcardShareThePortAndBothServe() throws IOException {
		Assumptions.assumeTrue(this.responders.choice() == TransportChoice.NATIVE,
				"the nio transport cannot set IPV6_V6ONLY");
		KernelSockets.assumeAvailable();
		assumeIpv6Loopback();
		// Not port 0: the kernel picks a port for an IPv6-only :: without looking at IPv4 listeners, so it may hand
		// out one where another listener of this process holds 0.0.0.0.
		int port = Ports.unused();
		TcpResponder responder = start(Responders.settings(List.of(EVERY_IPV6_ADDRESS, EVERY_IPV4_ADDRESS), port,
				Responders.OPTIONS.withIpv6Only(true)));
		assertThat(responder.listenerStatuses()).extracting(ListenerStatus::address, ListenerStatus::state)
			.containsExactly(tuple("::", ListenerState.LISTENING), tuple("0.0.0.0", ListenerState.LISTENING));
		assertThat(responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(Clients.fetch(FIRST, port)).isEqualTo(LINE);
		assertThat(Clients.fetch(IPV6_LOOPBACK, port)).isEqualTo(LINE);
		// ss writes an IPv6-only :: as [::], a dual-stack one as *.
		assertThat(KernelSockets.listening(port)).containsExactlyInAnyOrder("[::]:" + port, "0.0.0.0:" + port);
	}

	/**
	 * Without IPV6_V6ONLY (the default) {@code ::} is dual-stack and covers every IPv4 address: the kernel refuses
	 * {@code 0.0.0.0} beside it, and {@code ::} serves IPv4 clients too.
	 */
	@Test
	void withoutIpv6OnlyTheIpv4WildcardBesideTheDualStackOneIsRefusedByTheKernel() throws IOException {
		assumeIpv6Loopback();
		int port = Ports.unused();
		TcpResponder responder = responder(
				Responders.settings(List.of(EVERY_IPV6_ADDRESS, EVERY_IPV4_ADDRESS), port, Responders.OPTIONS));
		assertThatExceptionOfType(ResponderBindException.class).isThrownBy(responder::start)
			.withMessageStartingWith("Unable to start the TCP responder on 0.0.0.0 port " + port
					+ ": EADDRINUSE (Address already in use), held by 1 listening socket (inode ");
		assertThat(responder.listenerStatuses()).extracting(ListenerStatus::address, ListenerStatus::state)
			.containsExactly(tuple("::", ListenerState.LISTENING), tuple("0.0.0.0", ListenerState.FAILED));
		assertThat(responder.listenerStatuses().get(1).lastError().errno()).isEqualTo(98);
		assertThat(responder.status().state()).isEqualTo(ResponderState.PARTIALLY_LISTENING);
		assertThat(Clients.fetch(FIRST, port)).as("the dual-stack :: serves 127.0.0.1").isEqualTo(LINE);
		assertThat(Clients.fetch(IPV6_LOOPBACK, port)).isEqualTo(LINE);
	}

	@Test
	void aRestartChangesTheAddresses() throws IOException {
		TcpResponder responder = start(settings(List.of(FIRST), 0, false));
		int port = responder.settings().port();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> Clients.connect(SECOND, port).close());
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> Responders.settings(List.of(FIRST, SECOND), settings.port(), settings.options())).bound()).isTrue();
		assertThat(responder.listenerStatuses()).extracting(ListenerStatus::address)
			.containsExactly("127.0.0.1", "127.0.0.2");
		assertThat(Clients.fetch(SECOND, port)).isEqualTo(LINE);
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> Responders.settings(List.of(SECOND), settings.port(), settings.options())).bound()).isTrue();
		assertThat(responder.listenerStatuses()).extracting(ListenerStatus::address).containsExactly("127.0.0.2");
		assertThatExceptionOfType(ConnectException.class).as("127.0.0.1 closed")
			.isThrownBy(() -> Clients.connect(FIRST, port).close());
		assertThat(Clients.fetch(SECOND, port)).isEqualTo(LINE);
	}

	@Test
	void aHandoverThatCannotBindOneAddressKeepsEveryOldListener() throws IOException {
		KernelSockets.assumeAvailable();
		int port = Ports.unused();
		TcpResponder responder = start(settings(List.of(FIRST), port, true));
		try (ServerSocket holder = new ServerSocket()) {
			holder.bind(new InetSocketAddress(SECOND, port));
			assertThat(responder.restart(RestartMode.HANDOVER, (settings) -> Responders.settings(List.of(FIRST, SECOND), settings.port(), settings.options())).bound()).isFalse();
		}
		assertThat(responder.settings().addresses()).as("the old settings stay").containsExactly(FIRST);
		assertThat(responder.listenerStatuses()).extracting(ListenerStatus::state)
			.containsExactly(ListenerState.LISTENING);
		assertThat(Clients.fetch(FIRST, port)).isEqualTo(LINE);
		assertThat(KernelSockets.count("listening", port)).as("the new listener on 127.0.0.1 is closed again")
			.isEqualTo(1);
	}

	@Test
	void closeThenBindUnderLoadOnTwoAddressesRebindsBoth() {
		List<Load.Outcomes> outcomes = restartUnderLoad(false, (responder) -> assertThat(
				responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).isTrue());
		System.out.println("FIGURES bind-addresses close-then-bind transport=" + this.responders.choice().value() + " " + outcomes);
		for (Load.Outcomes outcome : outcomes) {
			assertThat(outcome.partial()).as("partial lines of %s", outcome).isZero();
			assertThat(outcome.whole()).as("served afterwards, of %s", outcome).isPositive();
		}
	}

	@Test
	void handoverUnderLoadOnTwoAddressesResetsNothingOnEither() {
		List<Load.Outcomes> outcomes = restartUnderLoad(true, (responder) -> assertThat(
				responder.restart(RestartMode.HANDOVER, (settings) -> settings).bound()).isTrue());
		System.out.println("FIGURES bind-addresses handover transport=" + this.responders.choice().value() + " " + outcomes);
		if (Sysctl.read("net.ipv4.tcp_migrate_req").orElse(0) != 1) {
			// As HandoverTests: without migration the kernel resets what a closing listener's queue holds.
			Assumptions.abort("net.ipv4.tcp_migrate_req is not 1");
		}
		for (Load.Outcomes outcome : outcomes) {
			assertThat(outcome.partial()).as("partial lines of %s", outcome).isZero();
			// The rule of HandoverTests, on each address: no reset; on native (each address's group steered to its
			// new listener) nothing lost, on NIO now and then a connect lost where it meets the close.
			assertThat(outcome.nothing() - outcome.notConnected()).as("reset connections of %s", outcome).isZero();
			if (this.responders.choice() == TransportChoice.NATIVE) {
				assertThat(outcome.notConnected()).as("connections lost of %s", outcome).isZero();
			}
			else {
				assertThat(outcome.notConnected()).as("connections lost of %s", outcome)
					.isLessThanOrEqualTo(Math.max(2, outcome.whole() / 5000));
			}
		}
	}

	/**
	 * Restarts under load on 127.0.0.1 and 127.0.0.2 at once, then checks that both still serve.
	 * @return the outcomes of the load on each address
	 */
	private List<Load.Outcomes> restartUnderLoad(boolean reusePort, Consumer<TcpResponder> restart) {
		TcpResponder responder = start(
				Responders.settings(List.of(FIRST, SECOND), Ports.unused(), SocketOptionsProperties.defaults().withReusePort(reusePort).withBacklog(4096)));
		int port = responder.settings().port();
		List<Load.Outcomes> outcomes = new ArrayList<>();
		try (Load first = Load.start(FIRST, port, LINE, 16, Clients.TIMEOUT_MILLIS);
				Load second = Load.start(SECOND, port, LINE, 16, Clients.TIMEOUT_MILLIS)) {
			for (int i = 0; i < RESTARTS; i++) {
				long before = responder.connections().counts().completed();
				await().atMost(Duration.ofSeconds(30)).until(() -> responder.connections().counts().completed() >= before + 200);
				restart.accept(responder);
			}
			long before = responder.connections().counts().completed();
			await().atMost(Duration.ofSeconds(30)).until(() -> responder.connections().counts().completed() >= before + 200);
			outcomes.add(first.stop());
			outcomes.add(second.stop());
		}
		assertThat(responder.connections().counts().restarts(true)).isEqualTo(RESTARTS);
		assertThat(responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(Clients.fetch(FIRST, port)).isEqualTo(LINE);
		assertThat(Clients.fetch(SECOND, port)).isEqualTo(LINE);
		return outcomes;
	}

	private static ListenerSettings settings(List<InetAddress> addresses, int port, boolean reusePort) {
		return Responders.settings(addresses, port, SocketOptionsProperties.defaults().withReusePort(reusePort).withBacklog(32));
	}

	private TcpResponder start(ListenerSettings settings) {
		TcpResponder responder = responder(settings);
		responder.start();
		return responder;
	}

	private TcpResponder responder(ListenerSettings settings) {
		return this.responders.create(settings, LINE, CloseMode.SERVER_FIRST, Duration.ofSeconds(5),
				Duration.ofSeconds(5));
	}

	private static void assumeIpv6Loopback() {
		try (ServerSocketChannel probe = ServerSocketChannel.open()) {
			probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			probe.bind(new InetSocketAddress(IPV6_LOOPBACK, 0));
		}
		catch (IOException ex) {
			Assumptions.abort("no ::1 on this host: " + ex.getMessage());
		}
	}

}
