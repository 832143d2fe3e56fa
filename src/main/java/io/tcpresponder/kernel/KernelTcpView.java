package io.tcpresponder.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.TableSocket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's view of a TCP port: the port's sockets by state and its listening sockets with their accept queues,
 * from a {@link SocketTable} (sock_diag netlink, or {@code /proc/net/tcp} where netlink cannot be opened), and the
 * host's listen overflow counters from {@code /proc/net/netstat}.
 *
 * <p>
 * Where the table does not tell a listener's accept queue limit ({@code /proc/net/tcp}: its tx_queue is always 0),
 * the limit is what the kernel makes of the backlog passed to {@code listen(2)}: the smaller of the backlog and
 * {@code net.core.somaxconn}.
 *
 * <p>
 * The table is read at most once per refresh interval, however many callers ask: a reading is kept with its port and
 * handed to every caller until the interval has passed or another port is asked for, and callers that ask while a
 * reading is being made wait for it and share it. While callers keep asking (within the last five minutes), the next
 * reading is made ahead, on a thread of the view's own, one interval after the last: a scrape then takes a reading
 * that is ready, however long a port full of TIME_WAIT sockets takes to read, rather than waiting for one.
 */
public final class KernelTcpView implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(KernelTcpView.class);

	/** How long readings are made ahead after the last caller asked: longer than any usual scrape interval. */
	private static final long DEMAND_NANOS = TimeUnit.MINUTES.toNanos(5);

	private final @Nullable SocketTable table;

	private final Path netstat;

	private final long refreshNanos;

	private final LongSupplier nanoClock;

	private final Path procDirectory;

	private final IntSupplier backlog;

	private final boolean ahead;

	private final Object readLock = new Object();

	private volatile @Nullable Reading last;

	private volatile long askedAt;

	private volatile int askedPort;

	private long readings;

	private @Nullable ScheduledExecutorService refresher;

	private @Nullable ScheduledFuture<?> refreshing;

	private volatile boolean aheadRunning;

	/**
	 * Creates a view of this host's kernel, making readings ahead while callers ask.
	 * @param table where the port's sockets are read from, {@code null} where there is none (not Linux)
	 * @param refreshInterval how long a reading is kept before the table is read again
	 * @param backlog the backlog the port's listeners passed to {@code listen(2)}
	 */
	public KernelTcpView(@Nullable SocketTable table, Duration refreshInterval, IntSupplier backlog) {
		this(table, Path.of("/proc"), refreshInterval, System::nanoTime, backlog, true);
	}

	KernelTcpView(@Nullable SocketTable table, Path procDirectory, Duration refreshInterval, LongSupplier nanoClock,
			IntSupplier backlog, boolean ahead) {
		this.table = table;
		this.procDirectory = procDirectory;
		this.backlog = backlog;
		this.netstat = procDirectory.resolve("net/netstat");
		this.refreshNanos = refreshInterval.toNanos();
		this.nanoClock = nanoClock;
		this.ahead = ahead && this.refreshNanos > 0;
	}

	/**
	 * How long a reading is kept before the table is read again: how often a reader may ask for a new one.
	 * @return the interval
	 */
	public Duration refreshInterval() {
		return Duration.ofNanos(this.refreshNanos);
	}

	/**
	 * Whether the kernel's socket table can be read here (on Linux).
	 * @return whether the view is available
	 */
	public boolean available() {
		return this.table != null;
	}

	/**
	 * Whether the socket table tells each listener's accept queue limit and drops (sock_diag does).
	 * @return whether it does
	 */
	public boolean tellsDrops() {
		SocketTable table = this.table;
		return table != null && table.listenerFigures();
	}

	/**
	 * The kernel's view of the given port, at most one refresh interval old (while readings are made ahead, one
	 * interval and the time a reading takes).
	 * @param port the local port
	 * @return the view, {@link PortView#unavailable()} if the table cannot be read
	 */
	public PortView read(int port) {
		if (this.table == null) {
			return PortView.unavailable();
		}
		long now = this.nanoClock.getAsLong();
		this.askedPort = port;
		this.askedAt = now;
		Reading reading = this.last;
		// While readings are made ahead, the next one is on its way: one being made is not waited for.
		long fresh = this.aheadRunning ? 2 * this.refreshNanos : this.refreshNanos;
		if (reading != null && reading.isFresh(port, now, fresh)) {
			return reading.view;
		}
		synchronized (this.readLock) {
			now = this.nanoClock.getAsLong();
			reading = this.last;
			if (reading != null && reading.isFresh(port, now, this.refreshNanos)) {
				return reading.view;
			}
			PortView view = readNow(port, now);
			readAhead();
			return view;
		}
	}

	/**
	 * How many times the table has been read.
	 * @return the number of readings
	 */
	long readings() {
		synchronized (this.readLock) {
			return this.readings;
		}
	}

	@Override
	public void close() {
		synchronized (this.readLock) {
			if (this.refresher != null) {
				this.refresher.shutdownNow();
				this.refresher = null;
				this.refreshing = null;
				this.aheadRunning = false;
			}
		}
	}

	/**
	 * Reads the table now, whatever the refresh interval; callers hold the read lock.
	 */
	private PortView readNow(int port, long now) {
		PortView view = readTable(port);
		this.readings++;
		this.last = new Reading(port, now, view);
		return view;
	}

	/**
	 * Makes the next reading one interval after the last, and so on while callers ask; callers hold the read lock.
	 */
	private void readAhead() {
		if (!this.ahead || this.refreshing != null) {
			return;
		}
		if (this.refresher == null) {
			this.refresher = Executors.newSingleThreadScheduledExecutor(
					Thread.ofPlatform().name("kernel-view").daemon().factory());
		}
		this.refreshing = this.refresher.scheduleAtFixedRate(this::refresh, this.refreshNanos, this.refreshNanos,
				TimeUnit.NANOSECONDS);
		this.aheadRunning = true;
	}

	private void refresh() {
		synchronized (this.readLock) {
			long now = this.nanoClock.getAsLong();
			if (now - this.askedAt > DEMAND_NANOS) {
				this.aheadRunning = false;
				if (this.refreshing != null) {
					this.refreshing.cancel(false);
					this.refreshing = null;
				}
				return;
			}
			readNow(this.askedPort, now);
		}
	}

	private PortView readTable(int port) {
		SocketTable table = this.table;
		try {
			Tally tally = new Tally(table.listenerFigures() ? -1 : listenerLimit());
			Instant readAt = Instant.now();
			table.forEach(port, tally::add);
			ListenCounters listen = ListenCounters.read(this.netstat);
			OptionalLong migrate = Sysctl.read(this.procDirectory, "net.ipv4.tcp_migrate_req");
			return new PortView(true, table.name(), tally.states(), tally.listeners(), listen.overflows(),
					listen.drops(), migrate.isPresent() ? migrate.getAsLong() == 1 : null, readAt);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Reading the kernel's socket table failed", ex);
			return PortView.unavailable();
		}
	}

	/**
	 * The accept queue limit of a listener, as the kernel sets it in {@code listen(2)}.
	 */
	private long listenerLimit() {
		long backlog = this.backlog.getAsInt();
		OptionalLong somaxconn = Sysctl.read(this.procDirectory, "net.core.somaxconn");
		if (somaxconn.isPresent()) {
			backlog = Math.min(backlog, somaxconn.getAsLong());
		}
		return backlog;
	}

	/**
	 * The port's sockets counted by state, and its listeners, as the table tells them.
	 */
	static final class Tally {

		private final long[] byState = new long[TcpState.values().length];

		private final List<PortListener> listeners = new ArrayList<>();

		private final long listenerLimit;

		/**
		 * @param listenerLimit a listener's accept queue limit where the table does not tell it
		 */
		Tally(long listenerLimit) {
			this.listenerLimit = listenerLimit;
		}

		void add(TableSocket socket) {
			TcpState state = TcpState.ofCode(socket.state());
			if (state == null) {
				return;
			}
			this.byState[state.ordinal()]++;
			if (state == TcpState.LISTEN) {
				long limit = socket.sendQueue();
				long drops = socket.drops();
				this.listeners.add(new PortListener(socket.address(), socket.inode(), socket.receiveQueue(),
						(limit >= 0) ? limit : this.listenerLimit, (drops >= 0) ? drops : null));
			}
		}

		long count(TcpState state) {
			return this.byState[state.ordinal()];
		}

		Map<TcpState, Long> states() {
			Map<TcpState, Long> states = new EnumMap<>(TcpState.class);
			for (TcpState state : TcpState.values()) {
				states.put(state, count(state));
			}
			return states;
		}

		List<PortListener> listeners() {
			return this.listeners;
		}

		long acceptQueueDepth() {
			return this.listeners.stream().mapToLong(PortListener::acceptQueueDepth).sum();
		}

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
