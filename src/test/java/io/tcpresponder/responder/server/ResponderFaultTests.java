package io.tcpresponder.responder.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.connection.FailureReason;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.support.Load;
import io.tcpresponder.support.Ports;
import io.tcpresponder.support.ProcessResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand restarts of one responder, on each transport, in a row, under client load and from concurrent callers:
 * one listener at the end, every count adding up, no client given part of the line, and no file descriptor or thread
 * left behind.
 */
@EachTransport
class ResponderFaultTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int RESTARTS = 1000;

	private static final int STRETCH = 10;

	private static final int CONCURRENT_CALLERS = 8;

	private static final int CONCURRENT_RESTARTS = 200;

	private static final int LOAD_THREADS = 8;

	/** The concurrent callers of restart run on its client threads. */
	@RegisterExtension
	final Responders responders;

	private TcpResponder responder;

	ResponderFaultTests(TransportChoice choice) {
		this.responders = new Responders(choice, CONCURRENT_CALLERS);
	}

	@Test
	void aThousandRestartsUnderLoadAndFromConcurrentCallersLeaveOneListenerAndNothingBehind() throws Exception {
		KernelSockets.assumeAvailable();
		ProcessResources.assumeAvailable();
		// Not port 0: while a restart has the port closed, a client's connect may take an ephemeral port as its own.
		this.responder = this.responders.start(Responders.settings(List.of(), Ports.unused(), Responders.OPTIONS), LINE,
				CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5));
		int port = this.responder.settings().port();
		for (int i = 0; i < 5; i++) {
			assertThat(this.responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).isTrue();
		}
		assertThat(Clients.fetch(port)).isEqualTo(LINE);
		long restartsBefore = this.responder.connections().counts().restarts(true);
		long fds = ProcessResources.openFileDescriptors();
		var fdTargets = ProcessResources.openFileDescriptorTargets();
		long threads = ProcessResources.responderThreads();
		long started = System.nanoTime();

		// In a row, in stretches of ten; every fourth stretch while clients keep connecting.
		Load.Outcomes outcomes = Load.Outcomes.NONE;
		int underLoad = 0;
		int sequential = RESTARTS - CONCURRENT_RESTARTS;
		for (int stretch = 0; stretch < sequential / STRETCH; stretch++) {
			if (stretch % 4 == 0) {
				try (Load load = startLoad(port)) {
					for (int i = 0; i < STRETCH; i++) {
						assertThat(this.responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).isTrue();
					}
					underLoad += STRETCH;
					outcomes = outcomes.plus(load.stop());
				}
			}
			else {
				for (int i = 0; i < STRETCH; i++) {
					assertThat(this.responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).isTrue();
				}
			}
		}

		// The rest from concurrent callers, under load too.
		try (Load load = startLoad(port)) {
			CountDownLatch go = new CountDownLatch(1);
			List<CompletableFuture<Integer>> calls = new ArrayList<>();
			for (int caller = 0; caller < CONCURRENT_CALLERS; caller++) {
				calls.add(CompletableFuture.supplyAsync(() -> {
					awaitQuietly(go);
					int bound = 0;
					for (int i = 0; i < CONCURRENT_RESTARTS / CONCURRENT_CALLERS; i++) {
						bound += this.responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound() ? 1 : 0;
					}
					return bound;
				}, this.responders.clients()));
			}
			go.countDown();
			int bound = 0;
			for (CompletableFuture<Integer> call : calls) {
				bound += call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
			assertThat(bound).isEqualTo(CONCURRENT_RESTARTS);
			underLoad += CONCURRENT_RESTARTS;
			outcomes = outcomes.plus(load.stop());
		}
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

		assertThat(this.responder.connections().counts().restarts(true) - restartsBefore).isEqualTo(RESTARTS);
		assertThat(this.responder.connections().counts().restarts(false)).isZero();
		assertThat(this.responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(this.responder.settings().port()).isEqualTo(port);
		assertThat(outcomes.partial()).as("clients that received part of the line").isZero();
		assertThat(outcomes.whole()).as("clients served under load").isPositive();
		await().atMost(WAIT).untilAsserted(() -> {
			ConnectionCounts.Snapshot counts = this.responder.connections().counts().snapshot();
			assertThat(counts.active()).isZero();
			assertThat(counts.accepted()).isEqualTo(counts.completed() + counts.failed());
		});
		ConnectionCounts.Snapshot counts = this.responder.connections().counts().snapshot();
		// Every client that got the line was completed; one before the load (the check after the warm-up).
		assertThat(counts.completed()).isEqualTo(outcomes.whole() + 1);
		assertThat(this.responder.connections().counts().failed(FailureReason.ERROR)).isZero();
		assertThat(KernelSockets.count("listening", port)).as("LISTEN sockets on the port").isEqualTo(1);
		assertThat(ProcessResources.responderThreads()).as("responder-* threads").isEqualTo(threads);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(ProcessResources.openedSince(fdTargets))
				.as("file descriptors opened since the baseline and left open: only the listener bound last")
				.hasSize(1)
				.allSatisfy((fd, target) -> assertThat(target).contains(String.format(":%04X->", port))
					.endsWith(" st 0A)")));
		assertThat(Clients.fetch(port)).isEqualTo(LINE);

		System.out.println("FIGURES " + getClass().getSimpleName() + "[" + this.responders.choice().value() + "] restarts=" + RESTARTS
				+ " underLoad=" + underLoad + " concurrentCallers=" + CONCURRENT_CALLERS + " concurrentRestarts=" + CONCURRENT_RESTARTS
				+ " clients=" + LOAD_THREADS + " connections=" + outcomes.connections() + " served="
				+ outcomes.whole() + " refusedOrReset=" + outcomes.nothing() + " partial=" + outcomes.partial()
				+ " connPerSecUnderLoad=" + outcomes.perSecond() + " restartsPerSec="
				+ Math.round(RESTARTS * 1000.0 / tookMillis) + " failedReset="
				+ this.responder.connections().counts().failed(FailureReason.RESET) + " fdsBefore=" + fds + " fdsAfter="
				+ ProcessResources.openFileDescriptors() + " responderThreads=" + threads + " tookMs=" + tookMillis);
	}

	/**
	 * Starts client threads and waits until the responder has accepted from them.
	 */
	private Load startLoad(int port) {
		long accepted = this.responder.connections().counts().accepted();
		Load load = Load.start(port, LINE, LOAD_THREADS, Clients.TIMEOUT_MILLIS);
		await().atMost(WAIT).until(() -> this.responder.connections().counts().accepted() >= accepted + LOAD_THREADS);
		return load;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("not started");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
