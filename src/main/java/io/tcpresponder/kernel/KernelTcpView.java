package io.tcpresponder.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's view of a TCP port, read from {@code /proc/net/tcp}, {@code /proc/net/tcp6} and
 * {@code /proc/net/netstat}: the port's sockets by state (a dual-stack listener's IPv4 clients are in
 * {@code tcp6}), its listeners' accept queue, and the host's listen overflow counters. The accept queue limit is not
 * in those tables; it is asked of {@code ss} when the port's listeners change (see {@link ListenerLimits}).
 *
 * <p>
 * The tables are read at most once per refresh interval, however many callers ask: a reading is kept with its port
 * and handed to every caller until the interval has passed or another port is asked for, and callers that ask while
 * a reading is being made wait for it and share it.
 *
 * <p>
 * The tables are parsed here rather than by a library because the library measured does not keep within the cost
 * the project accepts: with about 130,000 TIME_WAIT sockets on the port, a read may cost at most 1.3 times what the
 * kernel takes to format the tables ({@code cat /proc/net/tcp /proc/net/tcp6 > /dev/null}). Measured by
 * {@code KernelTcpViewBenchmark} (2 cores, Linux 6.18, 128,736 TIME_WAIT sockets on the port, medians of 20 reads):
 * cat 231 ms; OSHI 7.5.0 {@code InternetProtocolStats.getConnections()} 668 ms, 2.9 times cat (it makes a string
 * of every line, splits it, and maps socket inodes to processes); an uncached read of this view 255 ms, 1.1 times
 * cat.
 */
public final class KernelTcpView {

	private static final Log logger = LogFactory.getLog(KernelTcpView.class);

	private final Path tcp;

	private final Path tcp6;

	private final Path netstat;

	private final long refreshNanos;

	private final LongSupplier nanoClock;

	private final IntToLongFunction listenerLimit;

	private final boolean available;

	private final Object readLock = new Object();

	private final SocketTableReader reader = new SocketTableReader();

	private volatile @Nullable Reading last;

	private long readings;

	private long lastListeners;

	private long lastLimit;

	/**
	 * Creates a view of this host's {@code /proc}.
	 * @param refreshInterval how long a reading is kept before the tables are read again
	 */
	public KernelTcpView(Duration refreshInterval) {
		this(Path.of("/proc"), refreshInterval, System::nanoTime);
	}

	KernelTcpView(Path procDirectory, Duration refreshInterval, LongSupplier nanoClock) {
		this(procDirectory, refreshInterval, nanoClock, ListenerLimits::read);
	}

	KernelTcpView(Path procDirectory, Duration refreshInterval, LongSupplier nanoClock,
			IntToLongFunction listenerLimit) {
		Path net = procDirectory.resolve("net");
		this.tcp = net.resolve("tcp");
		this.tcp6 = net.resolve("tcp6");
		this.netstat = net.resolve("netstat");
		this.refreshNanos = refreshInterval.toNanos();
		this.nanoClock = nanoClock;
		this.listenerLimit = listenerLimit;
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
	 * Reads the tables now, whatever the refresh interval; callers hold the read lock. The accept queue limit is not
	 * in the tables and is read apart, only when the port has a listener.
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
			long limit = listenerLimit(port, tally);
			return new PortView(true, states, tally.acceptQueueDepth(), limit, listen.overflows(), listen.drops());
		}
		catch (IOException ex) {
			logger.debug("Reading the kernel's socket tables failed", ex);
			return PortView.unavailable();
		}
	}

	/**
	 * The accept queue limit of the port's listeners. It is kept while the same listeners are there: a listener's
	 * limit is set when it starts listening, and reading it takes a process.
	 */
	private long listenerLimit(int port, SocketTableReader.Tally tally) {
		if (tally.count(TcpState.LISTEN) == 0) {
			return 0;
		}
		Reading last = this.last;
		if (last == null || last.port != port || tally.listeners() != this.lastListeners || this.lastLimit == 0) {
			this.lastLimit = this.listenerLimit.applyAsLong(port);
			this.lastListeners = tally.listeners();
		}
		return this.lastLimit;
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
