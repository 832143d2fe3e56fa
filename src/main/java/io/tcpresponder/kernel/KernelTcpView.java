package io.tcpresponder.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's view of a TCP port, read from {@code /proc/net/tcp}, {@code /proc/net/tcp6} and
 * {@code /proc/net/netstat}: the port's sockets by state (a dual-stack listener's IPv4 clients are in
 * {@code tcp6}), its listeners' accept queue, and the host's listen overflow counters.
 *
 * <p>
 * The accept queue limit is not in those tables (for a listener, {@code tx_queue} is always 0), and the kernel gives
 * it only through sock_diag netlink, which the JDK cannot open. It is what the kernel makes of the backlog passed to
 * {@code listen(2)}: the smaller of the backlog and {@code net.core.somaxconn}, for each listener on the port.
 *
 * <p>
 * The tables are read at most once per refresh interval, however many callers ask: a reading is kept with its port
 * and handed to every caller until the interval has passed or another port is asked for, and callers that ask while
 * a reading is being made wait for it and share it.
 *
 * <p>
 * The tables are parsed here rather than by a library because the library measured, OSHI, does not keep within the
 * cost the project accepts for a read of a port full of TIME_WAIT sockets, little more than what the kernel takes to
 * format the tables; {@code KernelTcpViewBenchmark} measures both, and README.md has the budget and the figures.
 */
public final class KernelTcpView {

	private static final Log logger = LogFactory.getLog(KernelTcpView.class);

	private final Path tcp;

	private final Path tcp6;

	private final Path netstat;

	private final long refreshNanos;

	private final LongSupplier nanoClock;

	private final Path procDirectory;

	private final IntSupplier backlog;

	private final boolean available;

	private final Object readLock = new Object();

	private final SocketTableReader reader = new SocketTableReader();

	private volatile @Nullable Reading last;

	private long readings;

	/**
	 * Creates a view of this host's {@code /proc}.
	 * @param refreshInterval how long a reading is kept before the tables are read again
	 * @param backlog the backlog the port's listeners passed to {@code listen(2)}
	 */
	public KernelTcpView(Duration refreshInterval, IntSupplier backlog) {
		this(Path.of("/proc"), refreshInterval, System::nanoTime, backlog);
	}

	KernelTcpView(Path procDirectory, Duration refreshInterval, LongSupplier nanoClock, IntSupplier backlog) {
		Path net = procDirectory.resolve("net");
		this.procDirectory = procDirectory;
		this.backlog = backlog;
		this.tcp = net.resolve("tcp");
		this.tcp6 = net.resolve("tcp6");
		this.netstat = net.resolve("netstat");
		this.refreshNanos = refreshInterval.toNanos();
		this.nanoClock = nanoClock;
		this.available = Files.isReadable(this.tcp);
	}

	/**
	 * Whether the kernel's socket tables can be read here (on Linux).
	 * @return whether the view is available
	 */
	public boolean available() {
		return this.available;
	}

	/**
	 * The kernel's view of the given port, at most one refresh interval old.
	 * @param port the local port
	 * @return the view, {@link PortView#unavailable()} if the tables cannot be read
	 */
	public PortView read(int port) {
		if (!this.available) {
			return PortView.unavailable();
		}
		Reading reading = this.last;
		if (reading != null && reading.isFresh(port, this.nanoClock.getAsLong(), this.refreshNanos)) {
			return reading.view;
		}
		synchronized (this.readLock) {
			long now = this.nanoClock.getAsLong();
			reading = this.last;
			if (reading != null && reading.isFresh(port, now, this.refreshNanos)) {
				return reading.view;
			}
			PortView view = readTables(port);
			this.readings++;
			this.last = new Reading(port, now, view);
			return view;
		}
	}

	/**
	 * How many times the tables have been read.
	 * @return the number of readings
	 */
	long readings() {
		synchronized (this.readLock) {
			return this.readings;
		}
	}

	/**
	 * Reads the tables now, whatever the refresh interval; callers hold the read lock.
	 */
	private PortView readTables(int port) {
		try {
			SocketTableReader.Tally tally = new SocketTableReader.Tally();
			this.reader.count(this.tcp, port, tally);
			this.reader.count(this.tcp6, port, tally);
			ListenCounters listen = ListenCounters.read(this.netstat);
			Map<TcpState, Long> states = new EnumMap<>(TcpState.class);
			for (TcpState state : TcpState.values()) {
				states.put(state, tally.count(state));
			}
			long limit = listenerLimit(tally);
			OptionalLong migrate = Sysctl.read(this.procDirectory, "net.ipv4.tcp_migrate_req");
			return new PortView(true, states, tally.acceptQueueDepth(), limit, listen.overflows(), listen.drops(),
					migrate.isPresent() ? migrate.getAsLong() == 1 : null);
		}
		catch (IOException ex) {
			logger.debug("Reading the kernel's socket tables failed", ex);
			return PortView.unavailable();
		}
	}

	/**
	 * The accept queue limit of the port's listeners, as the kernel sets it in {@code listen(2)}.
	 */
	private long listenerLimit(SocketTableReader.Tally tally) {
		long listeners = tally.count(TcpState.LISTEN);
		if (listeners == 0) {
			return 0;
		}
		long backlog = this.backlog.getAsInt();
		OptionalLong somaxconn = Sysctl.read(this.procDirectory, "net.core.somaxconn");
		if (somaxconn.isPresent()) {
			backlog = Math.min(backlog, somaxconn.getAsLong());
		}
		return listeners * backlog;
	}

	/**
	 * A view of a port and when its reading started.
	 */
	private record Reading(int port, long startedAt, PortView view) {

		boolean isFresh(int port, long now, long refreshNanos) {
			return this.port == port && now - this.startedAt < refreshNanos;
		}

	}

}
