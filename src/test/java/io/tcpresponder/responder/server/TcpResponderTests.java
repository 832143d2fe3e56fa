package io.tcpresponder.responder.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.connection.FailureReason;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.support.Load.Reception;
import io.tcpresponder.support.Load;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The responder on each transport against real sockets on loopback, without Spring around it: concurrent clients,
 * long lines, clients that never read, flood or reset, and stopping.
 */
@EachTransport
class TcpResponderTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	final Responders responders;

	TcpResponderTests(TransportChoice choice) {
		this.responders = new Responders(choice, 32);
	}

	@Test
	void everyConcurrentClientGetsTheLineThenEndOfStream() throws Exception {
		TcpResponder responder = start(true, LINE);
		int port = responder.settings().port();
		List<Future<String>> replies = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			replies.add(this.responders.clients().submit(() -> Clients.fetch(port)));
		}
		for (Future<String> reply : replies) {
			assertThat(reply.get()).isEqualTo(LINE);
		}
		Responders.awaitEnded(responder, 400);
		assertThat(responder.connections().counts().snapshot()).isEqualTo(new ConnectionCounts.Snapshot(400, 0, 400, 0, 0));
		assertThat(responder.connections().counts().bytesWritten()).isEqualTo(400L * LINE.length());
	}

	@Test
	void severalAcceptorsShareTheListenerAndAStopEndsThemAll() throws Exception {
		TcpResponder responder = responder(Responders.anyPort(SocketOptionsProperties.defaults().withBacklog(32).withAcceptors(3)),
				LINE, Duration.ofSeconds(5));
		responder.start();
		int port = responder.settings().port();
		String prefix = "responder-acceptor-::-" + port + "-";
		assertThat(acceptorThreads(prefix)).as("accept threads").hasSize(3);
		List<Future<String>> replies = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			replies.add(this.responders.clients().submit(() -> Clients.fetch(port)));
		}
		for (Future<String> reply : replies) {
			assertThat(reply.get()).isEqualTo(LINE);
		}
		Responders.awaitEnded(responder, 300);
		assertThat(responder.connections().counts().snapshot()).isEqualTo(new ConnectionCounts.Snapshot(300, 0, 300, 0, 0));
		responder.stop(Duration.ofSeconds(5));
		assertThat(acceptorThreads(prefix)).as("accept threads after the stop").isEmpty();
	}

	@Test
	void theAcceptorsFollowTheNodeByDefault() {
		assertThat(SocketOptionsProperties.defaults().acceptors())
			.isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
		assertThat(SocketOptionsProperties.defaults().withAcceptors(0).acceptors()).isEqualTo(SocketOptionsProperties.defaults().acceptors());
	}

	private static List<Thread> acceptorThreads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream().filter((thread) -> thread.getName().startsWith(prefix)
				&& thread.isAlive()).toList();
	}

	@Test
	void portZeroPicksAFreePortAndReportsIt() {
		TcpResponder responder = start(true, LINE);
		assertThat(responder.settings().port()).isPositive();
		assertThat(responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(Clients.fetch(responder.settings().port())).isEqualTo(LINE);
	}

	@Test
	void restartWithReuseAddressBindsOverTimeWait() {
		KernelSockets.assumeAvailable();
		TcpResponder responder = start(true, LINE);
		int port = serveAndAwaitTimeWait(responder, 20);
		assertThat(responder.restart(RestartMode.CLOSE_THEN_BIND, (settings) -> settings).bound()).isTrue();
		assertThat(KernelSockets.count("time-wait", port)).as("TIME_WAIT sockets bound over").isPositive();
		assertThat(responder.status().state()).isEqualTo(ResponderState.LISTENING);
		assertThat(responder.settings().port()).isEqualTo(port);
		assertThat(Clients.fetch(port)).isEqualTo(LINE);
		assertThat(responder.connections().counts().restarts(true)).isEqualTo(1);
	}

	@Test
	void clientThatNeverReadsTimesOutWithoutHoldingUpOthers() throws Exception {
		String line = largeLine();
		// The write timeout runs from the last byte a client took: a reader held up for longer by a busy machine (a
		// load average of 20 on 2 cores stalls threads for over 500 ms) would be reset. It bounds the silent client's
		// wait; it is no speed claim.
		TcpResponder responder = responder(Responders.anyPort(), line, Duration.ofSeconds(5));
		responder.start();
		int port = responder.settings().port();
		try (Socket silent = Clients.connect(port)) {
			await().atMost(WAIT).until(() -> responder.connections().counts().accepted() == 1);
			for (int i = 0; i < 3; i++) {
				assertThat(Clients.fetch(port)).isEqualTo(line);
			}
			await().atMost(WAIT).until(() -> responder.connections().counts().failed(FailureReason.TIMEOUT) == 1);
			assertThatExceptionOfType(SocketException.class).as("a reset, never a clean end after part of the line")
				.isThrownBy(() -> Clients.readAll(silent.getInputStream()));
		}
		assertThat(responder.connections().counts().snapshot()).isEqualTo(new ConnectionCounts.Snapshot(4, 0, 3, 1, 0));
	}

	@Test
	void aClientThatKeepsReadingGetsTheWholeLineHoweverLongTheWholeTakes() throws Exception {
		// The timeout leaves room for a reader that a busy machine holds up for a second or more.
		Duration writeTimeout = Duration.ofSeconds(2);
		// A reader that takes at most 64 KiB every 8 ms: 40 MiB take it over 5 seconds, more than twice the write
		// timeout, while the server never waits anywhere near that long for it to take the next bytes.
		String line = "x".repeat(40 << 20) + "\n";
		TcpResponder responder = responder(Responders.anyPort(), line, writeTimeout);
		responder.start();
		long started = System.nanoTime();
		Reception received;
		try (Socket reader = Clients.connect(responder.settings().port())) {
			received = Load.receive(new PacedInputStream(reader.getInputStream(), 64 * 1024, Duration.ofMillis(8)),
					line.getBytes(StandardCharsets.UTF_8));
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(received).as("after %s", took).isEqualTo(Reception.WHOLE);
		assertThat(took).as("the reader took longer than the write timeout").isGreaterThan(writeTimeout.multipliedBy(2));
		Responders.awaitEnded(responder, 1);
		assertThat(responder.connections().counts().failed(FailureReason.TIMEOUT)).isZero();
	}

	@Test
	void clientThatFloodsDataGetsTheLineOrAResetWhileOthersAreServed() throws Exception {
		TcpResponder responder = start(true, LINE);
		int port = responder.settings().port();
		try (Socket flooder = Clients.connect(port)) {
			Future<Long> sent = this.responders.clients().submit(() -> flood(flooder.getOutputStream(), 16 << 20));
			assertThat(Clients.fetch(port)).as("a client served while another floods").isEqualTo(LINE);
			// The server closes with the flood unread, so the kernel resets the connection; the reset may reach the
			// flooder before it has read the line, and then discards it.
			assertThat(Load.receive(flooder.getInputStream(), LINE.getBytes(StandardCharsets.UTF_8)))
				.as("the whole line or a reset, never part of it")
				.isIn(Reception.WHOLE, Reception.WHOLE_THEN_RESET, Reception.NOTHING_RESET);
			assertThat(sent.get()).as("bytes flooded before the server's reset").isLessThan(16L << 20);
		}
		Responders.awaitEnded(responder, 2);
		assertThat(responder.connections().counts().completed()).as("both were written the whole line").isEqualTo(2);
		assertThat(Clients.fetch(port)).isEqualTo(LINE);
	}

	@Test
	void halfClosedClientGetsTheLine() throws IOException {
		TcpResponder responder = start(true, LINE);
		try (Socket socket = Clients.connect(responder.settings().port())) {
			socket.shutdownOutput();
			assertThat(Clients.readToEnd(socket)).isEqualTo(LINE);
		}
	}

	@Test
	void stopResetsWritesStillPendingAfterTheShutdownTimeout() throws Exception {
		String line = largeLine();
		TcpResponder responder = responder(Responders.anyPort(), line, Duration.ofMinutes(1));
		responder.start();
		try (Socket silent = Clients.connect(responder.settings().port())) {
			await().atMost(WAIT).until(() -> responder.connections().counts().accepted() == 1);
			responder.stop(Duration.ofMillis(200));
			assertThat(responder.connections().counts().failed(FailureReason.SHUTDOWN)).isEqualTo(1);
			assertThat(responder.status().state()).isEqualTo(ResponderState.STOPPED);
			assertThatExceptionOfType(SocketException.class).isThrownBy(() -> Clients.readAll(silent.getInputStream()));
		}
		assertThat(responder.connections().counts().snapshot()).isEqualTo(new ConnectionCounts.Snapshot(1, 0, 0, 1, 0));
	}

	@Test
	void stopUnderLoadNeverSendsAPartialLine() {
		TcpResponder responder = start(true, LINE);
		Load.Outcomes outcomes;
		try (Load load = Load.start(responder.settings().port(), LINE, 16, Clients.TIMEOUT_MILLIS)) {
			await().atMost(WAIT).until(() -> responder.connections().counts().accepted() > 500);
			responder.stop(Duration.ofSeconds(5));
			outcomes = load.stop();
		}
		assertThat(outcomes.partial()).as("partial lines").isZero();
		ConnectionCounts.Snapshot counts = responder.connections().counts().snapshot();
		assertThat(counts.active()).isZero();
		assertThat(counts.completed()).isEqualTo(outcomes.whole());
		assertThat(counts.accepted()).isEqualTo(counts.completed() + counts.failed());
	}

	private TcpResponder start(boolean reuseAddress, String line) {
		TcpResponder responder = responder(Responders.anyPort(SocketOptionsProperties.defaults().withReuseAddress(reuseAddress).withBacklog(32)), line,
				Duration.ofSeconds(5));
		responder.start();
		return responder;
	}

	private TcpResponder responder(ListenerSettings settings, String line, Duration writeTimeout) {
		return this.responders.create(settings, line, CloseMode.SERVER_FIRST, writeTimeout, Duration.ofSeconds(5));
	}

	private int serveAndAwaitTimeWait(TcpResponder responder, int clients) {
		int port = responder.settings().port();
		KernelSockets.TimeWaitWatch timeWait = KernelSockets.watchTimeWait();
		for (int i = 0; i < clients; i++) {
			assertThat(Clients.fetch(port)).isEqualTo(LINE);
		}
		timeWait.await(() -> KernelSockets.count("time-wait", port), clients);
		return port;
	}

	private static long flood(OutputStream out, long limit) {
		byte[] chunk = new byte[64 * 1024];
		long sent = 0;
		try {
			while (sent < limit) {
				out.write(chunk);
				sent += chunk.length;
			}
		}
		catch (IOException ex) {
			// The server closed with our data unread, so the kernel reset the connection.
		}
		return sent;
	}

	/**
	 * A slow client: takes at most the given bytes per read, and waits the given time before each read.
	 */
	private static final class PacedInputStream extends FilterInputStream {

		private final int maxRead;

		private final long pauseNanos;

		PacedInputStream(InputStream in, int maxRead, Duration pause) {
			super(in);
			this.maxRead = maxRead;
			this.pauseNanos = pause.toNanos();
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			LockSupport.parkNanos(this.pauseNanos);
			return super.read(b, off, Math.min(len, this.maxRead));
		}

	}

	private static String largeLine() {
		// Far more than loopback's socket buffers hold, so that a client that does not read holds the write.
		return "x".repeat(48 << 20) + "\n";
	}

}
