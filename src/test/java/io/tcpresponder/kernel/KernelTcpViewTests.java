package io.tcpresponder.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import io.tcpresponder.support.Clients;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.linux.NativeTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
	void readsAPortFromTheTables() throws UnknownHostException {
		KernelTcpView view = proc(FIXTURE_PROC, () -> 6);
		Instant before = Instant.now();
		Map<TcpState, Long> states = new EnumMap<>(TcpState.class);
		states.put(TcpState.LISTEN, 2L);
		states.put(TcpState.ESTABLISHED, 4L);
		states.put(TcpState.TIME_WAIT, 3L);
		states.put(TcpState.CLOSE_WAIT, 1L);
		assertThat(view.available()).isTrue();
		PortView port = view.read(8095);
		assertThat(port.readAt()).isBetween(before, Instant.now());
		assertThat(port).as("two listeners with a backlog of 6 each")
			.isEqualTo(new PortView(true, "/proc/net/tcp", states,
					List.of(new PortListener(address("127.0.0.1"), 20452, 2, 6, null),
							new PortListener(address("::1"), 20453, 1, 6, null)),
					4, 4, null, port.readAt()));
	}

	@Test
	void aPortWithoutAListenerHasNoAcceptQueue() {
		KernelTcpView view = proc(FIXTURE_PROC, () -> 6);
		PortView port = view.read(8091);
		assertThat(port.count(TcpState.TIME_WAIT)).isEqualTo(2);
		assertThat(port.count(TcpState.LISTEN)).isZero();
		assertThat(port.acceptQueueLimit()).isZero();
	}

	@Test
	void theAcceptQueueLimitIsTheBacklogCappedBySomaxconn(@TempDir Path dir) throws IOException {
		fixtureWithSysctl(dir, "net/core/somaxconn", "4");
		KernelTcpView view = proc(dir, () -> 32);
		assertThat(view.read(8095).acceptQueueLimit()).as("two listeners, each capped at 4").isEqualTo(8);
	}

	@Test
	void readsTheMigrationSettingWithTheTablesAndKeepsItAsLong(@TempDir Path dir) throws IOException {
		Path migrate = fixtureWithSysctl(dir, "net/ipv4/tcp_migrate_req", "1");
		KernelTcpView view = proc(dir, () -> 32);
		assertThat(view.read(8095).migrateRequests()).isTrue();
		Files.writeString(migrate, "0\n");
		assertThat(view.read(8095).migrateRequests()).as("within the refresh interval").isTrue();
		this.clock.addAndGet(INTERVAL.toNanos());
		assertThat(view.read(8095).migrateRequests()).as("after the refresh interval").isFalse();
		Files.delete(migrate);
		this.clock.addAndGet(INTERVAL.toNanos());
		assertThat(view.read(8095).migrateRequests()).as("on a kernel without the setting").isNull();
	}

	@Test
	void isUnavailableWithoutTheTables(@TempDir Path dir) {
		KernelTcpView view = proc(dir.resolve("proc"), () -> 32);
		assertThat(view.available()).isFalse();
		PortView port = view.read(8095);
		assertThat(port).isSameAs(PortView.unavailable());
		assertThat(port.available()).isFalse();
		assertThat(port.states()).containsOnlyKeys(TcpState.values()).allSatisfy((state, count) -> assertThat(count).isZero());
		assertThat(port.acceptQueueDepth() + port.acceptQueueLimit() + port.hostListenOverflows() + port.hostListenDrops())
			.isZero();
	}

	@ParameterizedTest
	@MethodSource("tables")
	@EnabledOnOs(OS.LINUX)
	void countsTheTimeWaitSocketsOfAServerThatClosesFirst(SocketTable table) throws Exception {
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
			KernelTcpView view = live(table, 5);
			assertThat(view.available()).isTrue();
			// At least: TIME_WAIT lasts 60 seconds, and an earlier test may have used the same port.
			timeWait.await(() -> view.read(port).count(TcpState.TIME_WAIT), clients);
			PortView read = view.read(port);
			assertThat(read.count(TcpState.LISTEN)).isOne();
			assertThat(read.states()).containsOnlyKeys(TcpState.values());
		}
	}

	@ParameterizedTest
	@MethodSource("tables")
	@EnabledOnOs(OS.LINUX)
	void readsTheAcceptQueueOfAListenerThatDoesNotAccept(SocketTable table) throws IOException {
		try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK);
				Clients.Held clients = Clients.hold(server.getLocalPort(), 3)) {
			KernelTcpView view = live(table, 5);
			await().atMost(LIVE_WAIT).untilAsserted(() -> {
				PortView read = view.read(server.getLocalPort());
				assertThat(read.acceptQueueDepth()).isEqualTo(3);
				assertThat(read.acceptQueueLimit()).isEqualTo(5);
				assertThat(read.count(TcpState.ESTABLISHED)).isEqualTo(3);
			});
		}
	}

	@ParameterizedTest
	@MethodSource("tables")
	@EnabledOnOs(OS.LINUX)
	void readsTheTableAtMostOncePerInterval(SocketTable table) throws IOException {
		KernelTcpView view = new KernelTcpView(table, PROC, INTERVAL, this.clock::get, () -> 5, false);
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
		KernelTcpView view = proc(FIXTURE_PROC, () -> 5);
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
		KernelTcpView view = proc(FIXTURE_PROC, () -> {
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

	@Test
	@EnabledOnOs(OS.LINUX)
	void eachListenerHasItsOwnDropsWhichTheHostCounts() throws IOException {
		// Two listeners on one port, on two addresses; neither accepts, and the first has a queue of 1.
		InetAddress second = InetAddress.getByName("127.0.0.2");
		try (ServerSocketChannel full = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0), 1);
				ServerSocketChannel quiet = ServerSocketChannel.open()
					.bind(new InetSocketAddress(second, ((InetSocketAddress) full.getLocalAddress()).getPort()), 5)) {
			int port = ((InetSocketAddress) full.getLocalAddress()).getPort();
			KernelTcpView view = live(NativeTransport.socketTable(), 5);
			PortView before = view.read(port);
			assertThat(before.listeners()).hasSize(2).allSatisfy((listener) -> assertThat(listener.drops()).isZero());
			// Connecting without waiting: the queue takes two, and the kernel drops the others' SYNs.
			try (Clients.Connecting clients = Clients.connectWithoutWaiting(LOOPBACK, port, 8)) {
				await().atMost(LIVE_WAIT).untilAsserted(() -> assertThat(listener(view.read(port), LOOPBACK).drops())
					.isGreaterThanOrEqualTo(6));
				PortView after = view.read(port);
				PortListener dropping = listener(after, LOOPBACK);
				assertThat(dropping.acceptQueueLimit()).isOne();
				assertThat(dropping.acceptQueueDepth()).isEqualTo(2);
				assertThat(listener(after, second).drops()).as("the other listener's").isZero();
				assertThat(after.hostListenDrops() - before.hostListenDrops()).as("the host's ListenDrops")
					.isGreaterThanOrEqualTo(dropping.drops());
				assertThat(after.hostListenOverflows() - before.hostListenOverflows()).as("the host's ListenOverflows")
					.isGreaterThanOrEqualTo(dropping.drops());
			}
		}
	}

	@ParameterizedTest
	@MethodSource("tables")
	@EnabledOnOs(OS.LINUX)
	void bothTablesTellTheSameSockets(SocketTable table) throws IOException {
		try (ServerSocket server = new ServerSocket(0, 7, LOOPBACK);
				Clients.Held clients = Clients.hold(server.getLocalPort(), 2)) {
			KernelTcpView view = live(table, 7);
			await().atMost(LIVE_WAIT).untilAsserted(() -> {
				PortView read = view.read(server.getLocalPort());
				assertThat(read.source()).isEqualTo(table.name());
				assertThat(read.listeners()).singleElement().satisfies((listener) -> {
					assertThat(listener.address()).isEqualTo(LOOPBACK);
					assertThat(listener.inode()).isPositive();
					assertThat(listener.acceptQueueDepth()).isEqualTo(2);
					assertThat(listener.acceptQueueLimit()).isEqualTo(7);
					assertThat(listener.drops()).isEqualTo(table.listenerFigures() ? 0L : null);
				});
			});
		}
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void readsAheadWhileCallersAsk() throws IOException {
		try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK);
				KernelTcpView view = new KernelTcpView(NativeTransport.socketTable(), Duration.ofMillis(100),
						() -> 5)) {
			int port = server.getLocalPort();
			PortView first = view.read(port);
			long readings = view.readings();
			try (Clients.Held clients = Clients.hold(port, 1)) {
				// Nothing asks again: the reading that shows the client is made ahead, and then handed out.
				await().atMost(LIVE_WAIT).until(() -> view.readings() > readings + 1);
				PortView later = view.read(port);
				assertThat(later).isNotSameAs(first);
				assertThat(later.acceptQueueDepth()).isOne();
			}
		}
	}

	static Stream<SocketTable> tables() {
		return Stream.of(NativeTransport.socketTable(), new ProcSocketTable());
	}

	private KernelTcpView proc(Path dir, IntSupplier backlog) {
		ProcSocketTable table = new ProcSocketTable(dir);
		return new KernelTcpView(table.available() ? table : null, dir, INTERVAL, this.clock::get, backlog, false);
	}

	private static KernelTcpView live(SocketTable table, int backlog) {
		return new KernelTcpView(table, PROC, Duration.ZERO, System::nanoTime, () -> backlog, false);
	}

	private static PortListener listener(PortView view, InetAddress address) {
		return view.listeners().stream().filter((listener) -> listener.address().equals(address)).findFirst().orElseThrow();
	}

	private static InetAddress address(String text) throws UnknownHostException {
		return InetAddress.getByName(text);
	}

	/**
	 * A copy of the fixture's tables under the given /proc, with one sysctl set.
	 * @return the sysctl's file, to change it later
	 */
	private static Path fixtureWithSysctl(Path proc, String sysctl, String value) throws IOException {
		for (String table : List.of("net/tcp", "net/tcp6", "net/netstat")) {
			Path copy = proc.resolve(table);
			Files.createDirectories(copy.getParent());
			Files.copy(FIXTURE_PROC.resolve(table), copy);
		}
		Path file = proc.resolve("sys").resolve(sysctl);
		Files.createDirectories(file.getParent());
		Files.writeString(file, value + "\n");
		return file;
	}

}
