package io.tcpresponder.responder.server;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.connection.FailureReason;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.support.ProcessResources;
import io.tcpresponder.transport.KernelError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The responder on each transport, against real sockets on loopback, with the kernel as witness: long lines to
 * several readers, what the kernel said when a bind fails, the addresses listened on, what stopping leaves behind, and
 * the counts.
 */
@EachTransport
class TransportTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** What the kernel says of a bind to an address in use. */
	private static final KernelError IN_USE = new KernelError("EADDRINUSE", 98, "Address already in use", "bind");

	@RegisterExtension
	final Responders responders;

	TransportTests(TransportChoice choice) {
		this.responders = new Responders(choice, 16);
	}

	@Test
	void aLineOfSeveralMebibytesReachesAReadingClientWhole() throws Exception {
		String line = "y".repeat(8 << 20) + "\n";
		TcpResponder responder = start(settings(true), line, CloseMode.SERVER_FIRST, Duration.ofSeconds(20));
		int port = responder.settings().port();
		List<Future<String>> replies = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			replies.add(this.responders.clients().submit(() -> Clients.fetch(port)));
		}
		for (Future<String> reply : replies) {
			assertThat(reply.get()).isEqualTo(line);
		}
		Responders.awaitEnded(responder, 4);
		assertThat(responder.connections().counts().snapshot()).isEqualTo(new ConnectionCounts.Snapshot(4, 0, 4, 0, 0));
		assertThat(responder.connections().counts().bytesWritten()).isEqualTo(4L * line.length());
	}

	@Test
	void clientsThatResetAtOnceAreCountedAndEveryCountAddsUp() throws Exception {
		TcpResponder responder = start(settings(true), LINE, CloseMode.SERVER_FIRST, Duration.ofSeconds(5));
		int port = responder.settings().port();
		for (int i = 0; i < 100; i++) {
			Socket socket = Clients.connect(port);
			socket.setSoLinger(true, 0);
			socket.close();
			assertThat(Clients.fetch(port)).isEqualTo(LINE);
		}
		Responders.awaitEnded(responder, 200);
		ConnectionCounts.Snapshot counts = responder.connections().counts().snapshot();
		assertThat(counts.accepted()).isEqualTo(counts.completed() + counts.failed() + counts.active());
		assertThat(counts.completed()).isGreaterThanOrEqualTo(100);
		assertThat(responder.connections().counts().failed(FailureReason.ERROR)).isZero();
	}

	@Test
	void restartOverTimeWaitWithoutReuseAddressFailsWithTheKernelsError() {
		KernelSockets.assumeAvailable();
		TcpResponder responder = start(settings(true), LINE, CloseMode.SERVER_FIRST, Duration.ofSeconds(5));
		int port = serveAndAwaitTimeWait(responder, 20);
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, Responders.options((options) -> options.withReuseAddress(false))).bound()).isFalse();
		assertThat(responder.status().state()).isEqualTo(ResponderState.FAILED);
		assertThat(responder.status().lastError())
			.isEqualTo(IN_USE);
		assertThat(KernelSockets.count("time-wait", port)).isPositive();
		assertThat(responder.settings().options().reuseAddress()).isFalse();
		assertThat(responder.connections().counts().restarts(false)).isEqualTo(1);
		// The TIME_WAIT sockets were left by a listener with the option on: turning it on again binds over them.
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, Responders.options((options) -> options.withReuseAddress(true))).bound()).isTrue();
		assertThat(responder.status().lastError()).isNull();
		assertThat(responder.connections().counts().restarts(true)).isEqualTo(1);
		assertThat(Clients.fetch(port)).isEqualTo(LINE);
	}

	@Test
	void timeWaitLeftByAListenerWithReuseAddressOffBlocksEvenAListenerWithItOn() {
		KernelSockets.assumeAvailable();
		TcpResponder responder = start(settings(false), LINE, CloseMode.SERVER_FIRST, Duration.ofSeconds(5));
		int port = serveAndAwaitTimeWait(responder, 20);
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, Responders.options((options) -> options.withReuseAddress(true))).bound()).isFalse();
		assertThat(responder.status().lastError())
			.isEqualTo(IN_USE);
		assertThat(KernelSockets.count("time-wait", port)).isPositive();
	}

	@Test
	void aPortHeldByAnotherSocketFailsWithTheKernelsErrorThenBindsOnceFree() throws IOException {
		ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		int port = holder.getLocalPort();
		TcpResponder responder = responder(Responders.settings(List.of(), port, SocketOptionsProperties.defaults().withBacklog(32)), LINE,
				CloseMode.SERVER_FIRST, Duration.ofSeconds(5));
		assertThatExceptionOfType(ResponderBindException.class).isThrownBy(responder::start)
			.withMessageStartingWith("Unable to start the TCP responder on :: port " + port + ": EADDRINUSE (Address already in use), held by 1 listening socket (inode ");
		assertThat(responder.status().state()).isEqualTo(ResponderState.FAILED);
		assertThat(responder.status().lastError())
			.isEqualTo(IN_USE);
		holder.close();
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).isTrue();
		assertThat(Clients.fetch(port)).isEqualTo(LINE);
	}

	/**
	 * What an operator or a probe reads while {@code retry-bind} binds again: the listener FAILED with the kernel's
	 * error, never a status without it, until a bind succeeds. Reads without pause across two retries, since a retry
	 * spends the time of a verdict between its bind and its outcome.
	 */
	@Test
	void aRetryKeepsTheListenerFailedWithTheKernelsErrorUntilItBinds() throws IOException {
		try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			int port = holder.getLocalPort();
			TcpResponder responder = this.responders.create(
					Responders.settings(List.of(InetAddress.getLoopbackAddress()), port, Responders.OPTIONS),
					LINE, CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5), true);
			assertThatExceptionOfType(ResponderBindException.class).isThrownBy(responder::start);
			Set<Instant> retries = new HashSet<>();
			long reads = 0;
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (retries.size() < 3 && System.nanoTime() < deadline) {
				ResponderStatus status = responder.status();
				assertThat(status.state()).as("read %d", reads).isEqualTo(ResponderState.FAILED);
				assertThat(status.lastError()).as("read %d", reads).isEqualTo(IN_USE);
				Instant retryAt = responder.retryAt();
				if (retryAt != null) {
					retries.add(retryAt);
				}
				reads++;
			}
			assertThat(retries).as("two retries done, each scheduling the next").hasSize(3);
			holder.close();
			await().atMost(WAIT).until(() -> responder.status().state() == ResponderState.LISTENING);
			assertThat(responder.status().lastError()).isNull();
			assertThat(Clients.fetch(port)).isEqualTo(LINE);
		}
	}

	@Test
	void theWildcardAddressServesIpv4AndIpv6Clients() throws IOException {
		TcpResponder responder = start(settings(true), LINE, CloseMode.SERVER_FIRST, Duration.ofSeconds(5));
		int port = responder.settings().port();
		assertThat(fetch(InetAddress.getByName("127.0.0.1"), port)).isEqualTo(LINE);
		InetAddress ipv6Loopback = InetAddress.getByName("::1");
		if (hasAddress(ipv6Loopback)) {
			assertThat(fetch(ipv6Loopback, port)).isEqualTo(LINE);
		}
	}

	@Test
	void anIpv4AddressIsListenedOnAlone() throws IOException {
		KernelSockets.assumeAvailable();
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		TcpResponder responder = start(Responders.settings(List.of(loopback), 0, SocketOptionsProperties.defaults().withBacklog(32)), LINE, CloseMode.SERVER_FIRST,
				Duration.ofSeconds(5));
		int port = responder.settings().port();
		assertThat(fetch(loopback, port)).isEqualTo(LINE);
		assertThat(KernelSockets.count("listening", port)).isEqualTo(1);
		InetAddress ipv6Loopback = InetAddress.getByName("::1");
		if (hasAddress(ipv6Loopback)) {
			assertThatExceptionOfType(IOException.class).as("not listening on ::1")
				.isThrownBy(() -> fetch(ipv6Loopback, port));
		}
	}

	@Test
	void stopLeavesNoSocketOrThreadBehind() {
		ProcessResources.assumeAvailable();
		Map<Integer, String> before = ProcessResources.openFileDescriptorTargets();
		long threads = ProcessResources.responderThreads();
		TcpResponder responder = start(settings(true), LINE, CloseMode.CLIENT_FIRST, Duration.ofSeconds(5));
		int port = responder.settings().port();
		for (int i = 0; i < 10; i++) {
			assertThat(Clients.fetchLineAndClose(port)).isEqualTo(LINE);
			assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).isTrue();
		}
		responder.stop(Duration.ofSeconds(5));
		assertThat(ProcessResources.openedSince(before)).isEmpty();
		assertThat(ProcessResources.responderThreads()).isEqualTo(threads);
		assertThat(responder.connections().counts().snapshot()).isEqualTo(new ConnectionCounts.Snapshot(10, 0, 10, 0, 0));
	}

	@Test
	void theResponderSaysWhichTransportItRunsOn() {
		TcpResponder responder = start(settings(true), LINE, CloseMode.SERVER_FIRST, Duration.ofSeconds(5));
		assertThat(responder.transport().name()).isEqualTo(this.responders.choice().value());
	}

	private static ListenerSettings settings(boolean reuseAddress) {
		return Responders.anyPort(SocketOptionsProperties.defaults().withReuseAddress(reuseAddress).withBacklog(32));
	}

	private TcpResponder start(ListenerSettings settings, String line, CloseMode closeMode, Duration timeout) {
		return this.responders.start(settings, line, closeMode, timeout, timeout);
	}

	/**
	 * A responder whose write timeout and client close timeout are both the given one.
	 */
	private TcpResponder responder(ListenerSettings settings, String line, CloseMode closeMode, Duration timeout) {
		return this.responders.create(settings, line, closeMode, timeout, timeout);
	}

	private static int serveAndAwaitTimeWait(TcpResponder responder, int clients) {
		int port = responder.settings().port();
		for (int i = 0; i < clients; i++) {
			assertThat(Clients.fetch(port)).isEqualTo(LINE);
		}
		await().atMost(WAIT).until(() -> KernelSockets.count("time-wait", port) >= clients);
		return port;
	}

	private static String fetch(InetAddress address, int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), Clients.TIMEOUT_MILLIS);
			socket.setSoTimeout(Clients.TIMEOUT_MILLIS);
			return new String(Clients.readAll(socket.getInputStream()).toByteArray(), StandardCharsets.UTF_8);
		}
	}

	private static boolean hasAddress(InetAddress address) {
		try (ServerSocket probe = new ServerSocket(0, 1, address)) {
			return address instanceof Inet6Address;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
