package io.tcpresponder.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tcpresponder.support.Clients;
import io.tcpresponder.support.KernelSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KernelTcpViewTests {

	private static final Path PROC = Path.of("/proc");

	private static final Path FIXTURE_PROC = Path.of("src/test/resources/kernel/proc");

	private static final Duration INTERVAL = Duration.ofSeconds(10);

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	/** Bounds a wait on this host's tables, which other programs may make large and slow to read. */
	private static final Duration LIVE_WAIT = Duration.ofSeconds(60);

	private final AtomicLong clock = new AtomicLong();

	@Test
	void readsAPortFromTheTables() {
		KernelTcpView view = new KernelTcpView(FIXTURE_PROC, INTERVAL, this.clock::get, () -> 6);
		Map<TcpState, Long> states = new EnumMap<>(TcpState.class);
		states.put(TcpState.LISTEN, 2L);
		states.put(TcpState.ESTABLISHED, 4L);
		states.put(TcpState.TIME_WAIT, 3L);
		states.put(TcpState.CLOSE_WAIT, 1L);
		assertThat(view.available()).isTrue();
		assertThat(view.read(8095)).as("two listeners with a backlog of 6 each")
			.isEqualTo(new PortView(true, states, 3, 12, 4, 4));
	}

	@Test
	void aPortWithoutAListenerHasNoAcceptQueue() {
		KernelTcpView view = new KernelTcpView(FIXTURE_PROC, INTERVAL, this.clock::get, () -> 6);
		PortView port = view.read(8091);
		assertThat(port.count(TcpState.TIME_WAIT)).isEqualTo(2);
		assertThat(port.count(TcpState.LISTEN)).isZero();
		assertThat(port.acceptQueueLimit()).isZero();
	}

	@Test
	void theAcceptQueueLimitIsTheBacklogCappedBySomaxconn(@TempDir Path dir) throws IOException {
		for (String table : List.of("net/tcp", "net/tcp6", "net/netstat")) {
			Path copy = dir.resolve(table);
			Files.createDirectories(copy.getParent());
			Files.copy(FIXTURE_PROC.resolve(table), copy);
		}
		Path somaxconn = dir.resolve("sys/net/core/somaxconn");
		Files.createDirectories(somaxconn.getParent());
		Files.writeString(somaxconn, "4\n");
		KernelTcpView view = new KernelTcpView(dir, INTERVAL, this.clock::get, () -> 32);
		assertThat(view.read(8095).acceptQueueLimit()).as("two listeners, each capped at 4").isEqualTo(8);
	}

	@Test
	void isUnavailableWithoutTheTables(@TempDir Path dir) {
		KernelTcpView view = new KernelTcpView(dir.resolve("proc"), INTERVAL, this.clock::get, () -> 32);
		assertThat(view.available()).isFalse();
		PortView port = view.read(8095);
		assertThat(port).isSameAs(PortView.unavailable());
		assertThat(port.available()).isFalse();
		assertThat(port.states()).containsOnlyKeys(TcpState.values()).allSatisfy((state, count) -> assertThat(count).isZero());
		assertThat(port.acceptQueueDepth() + port.acceptQueueLimit() + port.listenOverflows() + port.listenDrops())
			.isZero();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void countsTheTimeWaitSocketsOfAServerThatClosesFirst() throws Exception {
		int clients = 20;
		KernelSockets.TimeWaitWatch timeWait = KernelSockets.watchTimeWait();
		try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
			int port = server.getLocalPort();
			ExecutorService acceptor = Executors.newSingleThreadExecutor();
			try {
				Future<?> served = acceptor.submit(() -> {
					for (int i = 0; i < clients; i++) {
						try (Socket connection = server.accept(); OutputStream out = connection.getOutputStream()) {
							out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
						}
					}
					return null;
				});
				for (int i = 0; i < clients; i++) {
					try (Socket client = new Socket(LOOPBACK, port); InputStream in = client.getInputStream()) {
						assertThat(in.readAllBytes()).hasSize(6);
					}
				}
				served.get(10, TimeUnit.SECONDS);
			}
			finally {
				acceptor.shutdownNow();
			}
			KernelTcpView view = new KernelTcpView(Duration.ZERO, () -> 5);
			assertThat(view.available()).isTrue();
			// At least: TIME_WAIT lasts 60 seconds, and an earlier test may have used the same port.
			timeWait.await(() -> view.read(port).count(TcpState.TIME_WAIT), clients);
			PortView read = view.read(port);
			assertThat(read.count(TcpState.LISTEN)).isOne();
			assertThat(read.states()).containsOnlyKeys(TcpState.values());
		}
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void readsTheAcceptQueueOfAListenerThatDoesNotAccept() throws IOException {
		try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK);
				Clients.Held clients = Clients.hold(server.getLocalPort(), 3)) {
			KernelTcpView view = new KernelTcpView(Duration.ZERO, () -> 5);
			await().atMost(LIVE_WAIT).untilAsserted(() -> {
				PortView read = view.read(server.getLocalPort());
				assertThat(read.acceptQueueDepth()).isEqualTo(3);
				assertThat(read.acceptQueueLimit()).isEqualTo(5);
				assertThat(read.count(TcpState.ESTABLISHED)).isEqualTo(3);
			});
		}
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void readsTheTablesAtMostOncePerInterval() throws IOException {
		KernelTcpView view = new KernelTcpView(PROC, INTERVAL, this.clock::get, () -> 5);
		try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
			int port = server.getLocalPort();
			PortView first = view.read(port);
			assertThat(first.acceptQueueDepth()).isZero();
			try (Clients.Held clients = Clients.hold(port, 1)) {
				this.clock.addAndGet(INTERVAL.toNanos() - 1);
				assertThat(view.read(port)).isSameAs(first);
				assertThat(view.readings()).isOne();
				await().atMost(LIVE_WAIT).untilAsserted(() -> {
					this.clock.addAndGet(INTERVAL.toNanos());
					assertThat(view.read(port).acceptQueueDepth()).isOne();
				});
				assertThat(view.readings()).isGreaterThan(1);
			}
		}
	}

	@Test
	void readsAgainForAnotherPort() {
		KernelTcpView view = new KernelTcpView(FIXTURE_PROC, INTERVAL, this.clock::get, () -> 5);
		assertThat(view.read(8095).count(TcpState.LISTEN)).isEqualTo(2);
		assertThat(view.read(8081).count(TcpState.LISTEN)).isOne();
		assertThat(view.readings()).isEqualTo(2);
		assertThat(view.read(8081)).isSameAs(view.read(8081));
		assertThat(view.readings()).isEqualTo(2);
	}

	@Test
	void concurrentCallersShareOneReading() throws Exception {
		CountDownLatch limitRead = new CountDownLatch(1);
		CountDownLatch callersWaiting = new CountDownLatch(1);
		KernelTcpView view = new KernelTcpView(FIXTURE_PROC, INTERVAL, this.clock::get, () -> {
			// The first reading holds on until the other callers have asked.
			limitRead.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> callersWaiting.getCount() == 0);
			return 5;
		});
		int callers = 4;
		ThreadPoolExecutor executor = (ThreadPoolExecutor) Executors.newFixedThreadPool(callers);
		try {
			List<Future<PortView>> reads = new ArrayList<>();
			Callable<PortView> read = () -> view.read(8095);
			reads.add(executor.submit(read));
			assertThat(limitRead.await(10, TimeUnit.SECONDS)).isTrue();
			for (int i = 1; i < callers; i++) {
				reads.add(executor.submit(read));
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> executor.getActiveCount() == callers);
			callersWaiting.countDown();
			PortView first = reads.get(0).get(10, TimeUnit.SECONDS);
			for (Future<PortView> each : reads) {
				assertThat(each.get(10, TimeUnit.SECONDS)).isSameAs(first);
			}
			assertThat(view.readings()).isOne();
		}
		finally {
			executor.shutdownNow();
		}
	}

}
