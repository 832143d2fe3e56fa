package io.tcpresponder.kernel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tcpresponder.kernel.bind.BindBlockers;
import io.tcpresponder.kernel.bind.KernelClock;
import io.tcpresponder.kernel.bind.RefusedBind;
import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.linux.NativeTransport;
import oshi.SystemInfo;
import oshi.software.os.InternetProtocolStats.IPConnection;
import oshi.software.os.InternetProtocolStats;

/**
 * Measures what one uncached read of {@link KernelTcpView} costs with a port full of TIME_WAIT sockets, through
 * sock_diag and through {@code /proc}, in CPU time and wall time, against {@code ss -tan '( sport = :PORT )'}, the
 * kernel's own cost of formatting the tables ({@code cat /proc/net/tcp /proc/net/tcp6 > /dev/null}) and OSHI's
 * {@code InternetProtocolStats.getConnections()}. Not part of the test suite; Linux only. Run it with:
 *
 * <pre>
 * mvn -B -Pbench test-compile exec:exec
 * </pre>
 *
 * <p>
 * It fills the host with TIME_WAIT sockets on a loopback port of its own (130,000 by default, just under the kernel's
 * default cap {@code net.ipv4.tcp_max_tw_buckets} of 131,072; {@code -Dsockets=N} changes it): a server accepts and
 * closes first, and clients read to the end and close. A TIME_WAIT socket is one 4-tuple, so the clients bind
 * distinct source addresses 127.0.0.2, 127.0.0.3, ... and ports. TIME_WAIT lasts 60 seconds: the fill takes a few
 * seconds and the rounds are timed within the rest, interleaved, reads of each kind in turn; the median of each is
 * printed, with the cost of a refused bind's verdict ({@link BindBlockers}) over the same sockets. Nothing is left behind but the TIME_WAIT sockets, which the kernel ends 60 seconds later.
 */
public final class KernelTcpViewBenchmark {

	private static final int FIRST_CLIENT_PORT = 10000;

	private static final int PORTS_PER_ADDRESS = 20000;

	private static final Duration MEASURING_TIME = Duration.ofSeconds(40);

	private KernelTcpViewBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int sockets = Integer.getInteger("sockets", 130_000);
		int rounds = Integer.getInteger("rounds", 20);
		try (ServerSocketChannel server = ServerSocketChannel.open()) {
			server.bind(new InetSocketAddress(loopback(), 0), 4096);
			int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
			long fillStart = System.nanoTime();
			long filled = fill(server, port, sockets);
			System.out.printf(Locale.ROOT, "Filled: %d connections closed by the server on 127.0.0.1:%d in %.1f s%n",
					filled, port, seconds(System.nanoTime() - fillStart));
			measure(port, rounds);
		}
	}

	private static long fill(ServerSocketChannel server, int port, int sockets) throws Exception {
		int addresses = (sockets + PORTS_PER_ADDRESS - 1) / PORTS_PER_ADDRESS;
		ExecutorService acceptor = Executors.newSingleThreadExecutor();
		ExecutorService clients = Executors.newFixedThreadPool(addresses);
		try {
			Future<Long> accepted = acceptor.submit(() -> {
				long count = 0;
				while (count < sockets) {
					try (SocketChannel connection = server.accept()) {
						count++;
					}
				}
				return count;
			});
			List<Future<Long>> connected = new ArrayList<>();
			for (int i = 0; i < addresses; i++) {
				InetAddress source = InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) (2 + i) });
				int count = Math.min(PORTS_PER_ADDRESS, sockets - i * PORTS_PER_ADDRESS);
				connected.add(clients.submit(() -> connect(source, port, count)));
			}
			long total = 0;
			for (Future<Long> each : connected) {
				total += each.get(60, TimeUnit.SECONDS);
			}
			if (total < sockets) {
				// Some source ports were taken: release the acceptor with as many more connections.
				connect(loopback(), port, (int) (sockets - total));
			}
			return accepted.get(60, TimeUnit.SECONDS);
		}
		finally {
			clients.shutdownNow();
			acceptor.shutdownNow();
		}
	}

	/**
	 * Connects from the given source address and consecutive source ports, reads to the end of each connection and
	 * closes it, so that the server, which closes first, keeps the TIME_WAIT socket.
	 */
	private static long connect(InetAddress source, int port, int count) {
		InetSocketAddress server = new InetSocketAddress(loopback(), port);
		// 127.0.0.1 is the server's own address: its connections take any free source port.
		boolean anyPort = source.equals(server.getAddress());
		long done = 0;
		for (int i = 0; i < count; i++) {
			try (Socket socket = new Socket()) {
				socket.setReuseAddress(true);
				socket.bind(new InetSocketAddress(source, anyPort ? 0 : FIRST_CLIENT_PORT + i));
				socket.connect(server);
				socket.getInputStream().read();
				done++;
			}
			catch (IOException ex) {
				// A source port in use by someone else: skipped.
			}
		}
		return done;
	}

	private static InetAddress loopback() {
		try {
			return InetAddress.getByName("127.0.0.1");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void measure(int port, int rounds) throws Exception {
		SocketTable sockDiag = NativeTransport.socketTable();
		ProcSocketTable proc = new ProcSocketTable();
		KernelTcpView view = new KernelTcpView(sockDiag, Path.of("/proc"), Duration.ZERO, System::nanoTime, () -> 4096,
				false);
		KernelTcpView procView = new KernelTcpView(proc, Path.of("/proc"), Duration.ZERO, System::nanoTime,
				() -> 4096, false);
		InternetProtocolStats oshi = new SystemInfo().getOperatingSystem().getInternetProtocolStats();
		BindBlockers blockers = new BindBlockers(sockDiag, KernelClock::read);
		BindBlockers procBlockers = new BindBlockers(proc, KernelClock::read);
		RefusedBind refused = new RefusedBind(loopback(), port, false, false, false);
		PortView before = view.read(port);
		System.out.printf(Locale.ROOT, "Port %d: %d TIME_WAIT, %d LISTEN; /proc/net/tcp %d lines, tcp6 %d lines%n",
				port, before.count(TcpState.TIME_WAIT), before.count(TcpState.LISTEN), lines("/proc/net/tcp"),
				lines("/proc/net/tcp6"));
		System.out.printf(Locale.ROOT, "/proc counts %d TIME_WAIT, OSHI %d%n",
				procView.read(port).count(TcpState.TIME_WAIT), oshiTimeWait(oshi, port));
		String filter = "( sport = :" + port + " )";
		List<Timer> timers = List.of(Timer.spawn("process spawn (true)", "true"),
				Timer.spawn("ss -tan '( sport = :PORT )'", "ss", "-tan", filter),
				Timer.spawn("cat /proc/net/tcp /proc/net/tcp6", "cat", "/proc/net/tcp", "/proc/net/tcp6"),
				Timer.here("KernelTcpView.read, sock_diag", () -> view.read(port).count(TcpState.TIME_WAIT)),
				Timer.here("KernelTcpView.read, /proc", () -> procView.read(port).count(TcpState.TIME_WAIT)),
				Timer.here("BindBlockers.read, sock_diag", () -> blockers.read(refused, List.of(), false).timeWait()),
				Timer.here("BindBlockers.read, /proc", () -> procBlockers.read(refused, List.of(), false).timeWait()),
				Timer.here("OSHI getConnections()", () -> oshiTimeWait(oshi, port)));
		for (Timer timer : timers) {
			timer.warmUp(3);
		}
		long deadline = System.nanoTime() + MEASURING_TIME.toNanos();
		int done = 0;
		while (done < rounds && System.nanoTime() < deadline) {
			for (Timer timer : timers) {
				timer.time();
			}
			done++;
		}
		PortView after = view.read(port);
		System.out.printf(Locale.ROOT, "%d rounds; TIME_WAIT on the port %d before, %d after%n", done,
				before.count(TcpState.TIME_WAIT), after.count(TcpState.TIME_WAIT));
		for (Timer timer : timers) {
			System.out.printf(Locale.ROOT, "%-36s wall median %8.2f ms  min %8.2f ms   CPU median %8.2f ms%n",
					timer.name, timer.median(timer.nanos), timer.min(), timer.median(timer.cpu));
		}
		double ss = timers.get(1).median(timers.get(1).cpu);
		double cat = timers.get(2).median(timers.get(2).cpu);
		for (Timer timer : timers.subList(3, timers.size())) {
			System.out.printf(Locale.ROOT, "%-36s CPU %.2fx ss, %.2fx cat%n", timer.name,
					timer.median(timer.cpu) / ss, timer.median(timer.cpu) / cat);
		}
	}

	private static long oshiTimeWait(InternetProtocolStats oshi, int port) {
		long count = 0;
		for (IPConnection connection : oshi.getConnections()) {
			if (connection.getLocalPort() == port
					&& connection.getState() == InternetProtocolStats.TcpState.TIME_WAIT) {
				count++;
			}
		}
		return count;
	}

	private static long run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		return process.waitFor();
	}

	private static long lines(String file) throws IOException {
		try (var lines = Files.lines(Path.of(file))) {
			return lines.count();
		}
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	private interface Work {

		long run() throws Exception;

	}

	/**
	 * The CPU time of this process's children that have ended, from {@code /proc/self/stat} (cutime and cstime, in
	 * clock ticks of 10 ms): what a spawned command spent, the kernel's work in its calls included.
	 */
	private static long childrenCpuNanos() throws IOException {
		String stat = Files.readString(Path.of("/proc/self/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// Fields 16 and 17 of the line; the command's name ends at field 2.
		return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10_000_000L;
	}

	private static final class Timer {

		private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

		private final String name;

		private final Work work;

		private final boolean spawned;

		private final List<Long> nanos = new ArrayList<>();

		private final List<Long> cpu = new ArrayList<>();

		private final AtomicLong sink = new AtomicLong();

		private Timer(String name, Work work, boolean spawned) {
			this.name = name;
			this.work = work;
			this.spawned = spawned;
		}

		/** Work done on this thread, whose CPU time (user and system) is this thread's. */
		static Timer here(String name, Work work) {
			return new Timer(name, work, false);
		}

		/** A command run to its end, whose CPU time is the child's. */
		static Timer spawn(String name, String... command) {
			return new Timer(name, () -> run(command), true);
		}

		void warmUp(int times) throws Exception {
			for (int i = 0; i < times; i++) {
				this.sink.addAndGet(this.work.run());
			}
		}

		void time() throws Exception {
			long cpuStart = cpuNow();
			long start = System.nanoTime();
			this.sink.addAndGet(this.work.run());
			this.nanos.add(System.nanoTime() - start);
			this.cpu.add(cpuNow() - cpuStart);
		}

		private long cpuNow() throws IOException {
			return this.spawned ? childrenCpuNanos() : THREADS.getCurrentThreadCpuTime();
		}

		double median(List<Long> values) {
			long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
			if (sorted.length == 0) {
				return Double.NaN;
			}
			int mid = sorted.length / 2;
			double median = (sorted.length % 2 == 1) ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
			return median / 1e6;
		}

		double min() {
			return this.nanos.stream().mapToLong(Long::longValue).min().orElse(0) / 1e6;
		}

	}

}
