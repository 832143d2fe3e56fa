package io.tcpresponder.responder.connection;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.server.ResponderState;
import io.tcpresponder.responder.server.Responders;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.support.Load.Reception;
import io.tcpresponder.support.Load;
import io.tcpresponder.support.ProcessResources;
import io.tcpresponder.transport.Line;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that do not behave, many at once, on each transport, while well-behaved clients are served: every count
 * adds up, failures are counted under their reason, no client gets part of the line followed by a clean end, and once
 * the responder stops it has left no file descriptor or thread behind.
 */
@EachTransport
class MisbehavingClientTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int CONCURRENCY = 64;

	@RegisterExtension
	final Responders responders;

	private TcpResponder responder;

	private Map<Integer, String> fdTargets;

	private long threads;

	MisbehavingClientTests(TransportChoice choice) {
		this.responders = new Responders(choice, CONCURRENCY);
	}

	@BeforeEach
	void measure() {
		ProcessResources.assumeAvailable();
		warmUp();
		this.fdTargets = ProcessResources.openFileDescriptorTargets();
		this.threads = ProcessResources.responderThreads();
	}

	@Test
	void fiftyClientsThatNeverReadALargeLineTimeOutWhileOthersAreServed() throws Exception {
		int silentClients = 50;
		int served = 3;
		Duration writeTimeout = Duration.ofMillis(500);
		byte[] line = ("x".repeat(48 << 20) + "\n").getBytes(StandardCharsets.UTF_8);
		int port = start(new String(line, StandardCharsets.UTF_8), 64, CloseMode.SERVER_FIRST, writeTimeout);
		long started = System.nanoTime();
		try (Clients.Held silent = Clients.hold(port, silentClients)) {
			await().atMost(WAIT).until(() -> this.responder.connections().counts().accepted() == silentClients);
			long pendingWhileServed = this.responder.connections().counts().active();
			long acceptedAllMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			for (int i = 0; i < served; i++) {
				assertThat(Load.receive(port, line, Clients.TIMEOUT_MILLIS, Clients.TIMEOUT_MILLIS))
					.as("a client that reads, while %d do not", silentClients)
					.isEqualTo(Reception.WHOLE);
			}
			await().atMost(WAIT).until(() -> this.responder.connections().counts().failed(FailureReason.TIMEOUT) == silentClients);
			long timedOutMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			for (Socket socket : silent.sockets()) {
				assertThat(Load.receive(socket.getInputStream(), line))
					.as("a reset, never part of the line and a clean end")
					.isIn(Reception.NOTHING_RESET, Reception.PARTIAL_THEN_RESET);
			}
			assertThat(this.responder.connections().counts().snapshot())
				.isEqualTo(new ConnectionCounts.Snapshot(silentClients + served, 0, served, silentClients, 0));
			assertThat(this.responder.connections().counts().failed(FailureReason.TIMEOUT)).isEqualTo(silentClients);
			System.out.println("FIGURES " + getClass().getSimpleName() + "[" + this.responders.choice().value() + "].silentClients silentClients="
					+ silentClients + " lineBytes=" + line.length + " writeTimeoutMs=" + writeTimeout.toMillis() + " servedMeanwhile="
					+ served + " activeWhenServingStarted=" + pendingWhileServed + " failedTimeout="
					+ this.responder.connections().counts().failed(FailureReason.TIMEOUT) + " allAcceptedAfterMs=" + acceptedAllMillis
					+ " allTimedOutAfterMs=" + timedOutMillis + " bytesWritten="
					+ this.responder.connections().counts().bytesWritten());
		}
		stopAndAssertNothingLeftBehind(port);
	}

	@Test
	void aBurstOfConnectsBeyondTheBacklogGetsTheWholeLineOrNothing() throws Exception {
		KernelSockets.assumeAvailable();
		int burst = 3000;
		int threads = 60;
		int connectTimeoutMillis = 250;
		int readTimeoutMillis = 5000;
		byte[] line = LINE.getBytes(StandardCharsets.UTF_8);
		int backlog = 8;
		int port = start(LINE, backlog, CloseMode.SERVER_FIRST, Duration.ofSeconds(5));
		long overflowsBefore = KernelSockets.tcpExtCounter("ListenOverflows");
		CountDownLatch go = new CountDownLatch(1);
		List<CompletableFuture<Map<Reception, Long>>> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			workers.add(CompletableFuture.supplyAsync(() -> {
				Map<Reception, Long> received = new EnumMap<>(Reception.class);
				try {
					go.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				for (int i = 0; i < burst / threads; i++) {
					received.merge(Load.receive(port, line, connectTimeoutMillis, readTimeoutMillis), 1L, Long::sum);
				}
				return received;
			}, this.responders.clients()));
		}
		long started = System.nanoTime();
		go.countDown();
		Map<Reception, Long> received = new EnumMap<>(Reception.class);
		for (CompletableFuture<Map<Reception, Long>> worker : workers) {
			worker.get(2, TimeUnit.MINUTES).forEach((reception, n) -> received.merge(reception, n, Long::sum));
		}
		long tookNanos = System.nanoTime() - started;
		long whole = count(received, Reception::whole);
		long nothing = count(received, Reception::nothing);
		long partial = burst - whole - nothing;
		assertThat(partial).as("clients that got part of the line, of %s", received).isZero();
		await().atMost(WAIT).untilAsserted(() -> {
			ConnectionCounts.Snapshot counts = this.responder.connections().counts().snapshot();
			assertThat(counts.active()).isZero();
			assertThat(counts.accepted()).isEqualTo(counts.completed() + counts.failed());
		});
		ConnectionCounts.Snapshot counts = this.responder.connections().counts().snapshot();
		assertThat(counts.completed()).as("completed, at least every client that got the line")
			.isGreaterThanOrEqualTo(whole);
		assertThat(counts.accepted()).isLessThanOrEqualTo(burst);
		assertThat(this.responder.connections().counts().failed(FailureReason.ERROR)).isZero();
		assertThat(this.responder.connections().counts().failed(FailureReason.TIMEOUT)).isZero();
		assertThat(this.responder.connections().counts().failed(FailureReason.SHUTDOWN)).isZero();
		assertThat(Clients.fetch(port)).as("a normal client after the burst").isEqualTo(LINE);
		assertThat(KernelSockets.count("listening", port)).isEqualTo(1);
		System.out.println("FIGURES " + getClass().getSimpleName() + "[" + this.responders.choice().value() + "].burst connects=" + burst
				+ " clients=" + threads + " backlog=" + backlog + " connectTimeoutMs=" + connectTimeoutMillis + " served=" + whole + " lost="
				+ nothing + " notConnected=" + received.getOrDefault(Reception.NOT_CONNECTED, 0L) + " partial=" + partial
				+ " accepted="
				+ counts.accepted() + " completed=" + counts.completed() + " failedReset="
				+ this.responder.connections().counts().failed(FailureReason.RESET) + " hostListenOverflows="
				+ (KernelSockets.tcpExtCounter("ListenOverflows") - overflowsBefore) + " connPerSec=" + Math.round(burst * 1e9 / tookNanos)
				+ " tookMs=" + TimeUnit.NANOSECONDS.toMillis(tookNanos) + " receptions=" + received);
		stopAndAssertNothingLeftBehind(port);
	}

	@Test
	void halfClosingClientsInClientFirstModeGetTheLineAndTheServerEndsCleanly() throws Exception {
		KernelSockets.assumeAvailable();
		int halfClosing = 400;
		int normal = 100;
		int port = start(LINE, 32, CloseMode.CLIENT_FIRST, Duration.ofSeconds(5));
		CountDownLatch go = new CountDownLatch(1);
		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 0; i < halfClosing + normal; i++) {
			boolean halfClose = i % 5 != 0;
			replies.add(CompletableFuture.supplyAsync(() -> {
				try {
					go.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return halfClose ? fetchHalfClosed(port) : Clients.fetchLineAndClose(port);
			}, this.responders.clients()));
		}
		long started = System.nanoTime();
		go.countDown();
		for (CompletableFuture<String> reply : replies) {
			assertThat(reply.get(2, TimeUnit.MINUTES)).isEqualTo(LINE);
		}
		long tookNanos = System.nanoTime() - started;
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.responder.connections().counts().snapshot())
				.isEqualTo(new ConnectionCounts.Snapshot(halfClosing + normal, 0, halfClosing + normal, 0, 0)));
		assertThat(this.responder.connections().counts().clientCloseTimeouts()).isZero();
		System.out.println("FIGURES " + getClass().getSimpleName() + "[" + this.responders.choice().value() + "].halfClose halfClosingClients="
				+ halfClosing + " normalClients=" + normal + " concurrency=" + CONCURRENCY + " completed="
				+ this.responder.connections().counts().completed() + " failed=" + this.responder.connections().counts().failed()
				+ " clientCloseTimeouts=" + this.responder.connections().counts().clientCloseTimeouts() + " connPerSec="
				+ Math.round((halfClosing + normal) * 1e9 / tookNanos) + " tookMs="
				+ TimeUnit.NANOSECONDS.toMillis(tookNanos));
		stopAndAssertNothingLeftBehind(port);
		assertThat(this.responder.connections().counts().failed(FailureReason.SHUTDOWN)).isZero();
	}

	/**
	 * Serves a client in each way once, so that what the JDK opens once for good on first use (the socket pair that
	 * closing a registered channel relies on, for one) is open before the baseline is measured.
	 */
	private void warmUp() {
		String longLine = "y".repeat(2 * Line.INLINE_WRITE_LIMIT) + "\n";
		for (CloseMode closeMode : CloseMode.values()) {
			TcpResponder responder = this.responders.start(Responders.anyPort(SocketOptionsProperties.defaults().withBacklog(8)), longLine,
					closeMode, Duration.ofSeconds(5), Duration.ofSeconds(5));
			assertThat(Clients.fetchLineAndClose(responder.settings().port())).isEqualTo(longLine);
			responder.stop(Duration.ofSeconds(1));
		}
	}

	private int start(String line, int backlog, CloseMode closeMode, Duration writeTimeout) {
		this.responder = this.responders.start(Responders.anyPort(SocketOptionsProperties.defaults().withBacklog(backlog)), line, closeMode,
				writeTimeout, Duration.ofSeconds(5));
		return this.responder.settings().port();
	}

	/**
	 * Stops the responder and checks that it ended cleanly: stopped, no listener on the port, and the file
	 * descriptors and responder threads as before it started.
	 */
	private void stopAndAssertNothingLeftBehind(int port) {
		ConnectionCounts.Snapshot before = this.responder.connections().counts().snapshot();
		this.responder.stop(Duration.ofSeconds(2));
		assertThat(this.responder.status().state()).isEqualTo(ResponderState.STOPPED);
		assertThat(this.responder.connections().counts().snapshot()).as("nothing was in progress").isEqualTo(before);
		if (KernelSockets.count("listening", port) != 0) {
			throw new AssertionError("a LISTEN socket is left on port " + port);
		}
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(ProcessResources.responderThreads()).as("responder-* threads")
				.isEqualTo(this.threads));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(ProcessResources.openedSince(this.fdTargets))
				.as("file descriptors opened since the baseline and left open")
				.isEmpty());
	}

	/**
	 * Connects, ends its own output at once (a half-close), and reads until the server closes.
	 */
	private static String fetchHalfClosed(int port) {
		try (Socket socket = Clients.connect(port)) {
			socket.shutdownOutput();
			return Clients.readToEnd(socket);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static long count(Map<Reception, Long> received, java.util.function.Predicate<Reception> kind) {
		return received.entrySet().stream().filter((e) -> kind.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
	}

}
