package io.tcpresponder.responder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.tcpresponder.kernel.Sysctl;
import io.tcpresponder.support.Clients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Restarts under continuous load: a handover with SO_REUSEPORT against close-then-bind.
 */
class HandoverTests {

	private static final String LINE = "I sent sth to client!\n";

	private static final int CLIENTS = 64;

	private static final int RESTARTS = 20;

	private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

	private TcpResponder responder;

	@AfterEach
	void stop() {
		this.clients.shutdownNow();
		this.responder.stop(Duration.ofSeconds(1));
	}

	@Test
	void handoverUnderLoadLosesNoConnectionWhereTheKernelMigratesRequests() throws Exception {
		Outcome outcome = restartUnderLoad(true, (responder) -> assertThat(responder.handOver((s) -> s)).isTrue());
		System.out.println("FIGURES handover restarts=" + RESTARTS + " clients=" + CLIENTS + " " + outcome
				+ " tcp_migrate_req=" + Sysctl.read("net.ipv4.tcp_migrate_req"));
		assertThat(outcome.partial).as("partial lines").isZero();
		assertThat(this.responder.counts().restarts(true)).isEqualTo(RESTARTS);
		OptionalLong migrate = Sysctl.read("net.ipv4.tcp_migrate_req");
		if (migrate.isPresent() && migrate.getAsLong() == 1) {
			assertThat(outcome.failed()).as("refused or reset connections").isZero();
		}
		else if ("true".equals(System.getenv("CI"))) {
			throw new IllegalStateException("CI must set net.ipv4.tcp_migrate_req=1 (see .ci/run): a handover needs it");
		}
	}

	@Test
	void closeThenBindUnderLoadRefusesConnections() throws Exception {
		Outcome outcome = restartUnderLoad(false, (responder) -> assertThat(responder.restart((s) -> s)).isTrue());
		System.out.println("FIGURES close-then-bind restarts=" + RESTARTS + " clients=" + CLIENTS + " " + outcome);
		assertThat(outcome.partial).as("partial lines").isZero();
		assertThat(this.responder.counts().restarts(true)).isEqualTo(RESTARTS);
	}

	@Test
	void handoverNeedsReusePort() {
		this.responder = new TcpResponder(new ListenerSettings(null, 0, true, false, 32), LINE, CloseMode.SERVER_FIRST,
				Duration.ofSeconds(5), Duration.ofSeconds(5));
		this.responder.start();
		assertThatIllegalStateException().isThrownBy(() -> this.responder.handOver((s) -> s))
			.withMessageContaining("reusePort");
		assertThat(this.responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(Clients.fetch(this.responder.settings().port())).isEqualTo(LINE);
	}

	@Test
	void aFailedHandoverKeepsTheOldListener() throws IOException {
		this.responder = new TcpResponder(new ListenerSettings(null, 0, true, true, 32), LINE, CloseMode.SERVER_FIRST,
				Duration.ofSeconds(5), Duration.ofSeconds(5));
		this.responder.start();
		int port = this.responder.settings().port();
		try (java.net.ServerSocket holder = new java.net.ServerSocket(0)) {
			assertThat(this.responder.handOver((s) -> s.withPort(holder.getLocalPort()))).isFalse();
		}
		assertThat(this.responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(this.responder.status().lastError().code()).isEqualTo("EADDRINUSE");
		assertThat(this.responder.counts().restarts(false)).isEqualTo(1);
		assertThat(Clients.fetch(port)).isEqualTo(LINE);
	}

	private Outcome restartUnderLoad(boolean reusePort, Consumer<TcpResponder> restart) throws Exception {
		this.responder = new TcpResponder(new ListenerSettings(null, 0, true, reusePort, 4096), LINE,
				CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5));
		this.responder.start();
		int port = this.responder.settings().port();
		AtomicBoolean running = new AtomicBoolean(true);
		List<Future<int[]>> workers = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			workers.add(this.clients.submit(() -> hammer(port, running)));
		}
		long started = System.nanoTime();
		for (int i = 0; i < RESTARTS; i++) {
			long before = this.responder.counts().completed();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.responder.counts().completed() >= before + 200);
			restart.accept(this.responder);
		}
		running.set(false);
		Outcome outcome = new Outcome();
		for (Future<int[]> worker : workers) {
			int[] counts = worker.get();
			outcome.whole += counts[0];
			outcome.partial += counts[1];
			outcome.refused += counts[2];
			outcome.reset += counts[3];
		}
		outcome.seconds = (System.nanoTime() - started) / 1e9;
		return outcome;
	}

	/**
	 * Connects again and again until told to stop.
	 * @return whole lines, partial lines, refused connections, reset connections
	 */
	private static int[] hammer(int port, AtomicBoolean running) {
		int[] counts = new int[4];
		while (running.get()) {
			try (Socket socket = Clients.connect(port)) {
				ByteArrayOutputStream received = Clients.readAll(socket.getInputStream());
				String text = received.toString(StandardCharsets.UTF_8);
				counts[text.equals(LINE) ? 0 : 1]++;
			}
			catch (java.net.ConnectException ex) {
				counts[2]++;
			}
			catch (IOException ex) {
				counts[3]++;
			}
		}
		return counts;
	}

	private static final class Outcome {

		int whole;

		int partial;

		int refused;

		int reset;

		double seconds;

		int failed() {
			return this.refused + this.reset;
		}

		@Override
		public String toString() {
			return String.format("whole=%d partial=%d refused=%d reset=%d seconds=%.1f connPerSec=%.0f", this.whole,
					this.partial, this.refused, this.reset, this.seconds, this.whole / this.seconds);
		}

	}

}
