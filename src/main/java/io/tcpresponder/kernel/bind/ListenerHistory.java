package io.tcpresponder.kernel.bind;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tcpresponder.transport.SocketOptions;
import org.jspecify.annotations.Nullable;

/**
 * The listeners this process ran, with their options and when they closed their connections: what a refused bind's
 * verdict needs to know which TIME_WAIT sockets are this process's, and so whether SO_REUSEADDR would bind over them
 * ({@link io.tcpresponder.kernel.BindBlockers}). Kept only as long as a socket they left can last.
 */
public final class ListenerHistory {

	/** A TIME_WAIT's 60 s after a FIN_WAIT2 of up to {@code tcp_fin_timeout} (60 s), and a margin. */
	private static final long KEPT_NANOS = Duration.ofMinutes(3).toNanos();

	private final List<Entry> entries = new CopyOnWriteArrayList<>();

	/**
	 * Records a listener that has just bound.
	 * @param address its local address, or {@code null} for every local address
	 * @param options its options
	 * @return what its connections tell when they close
	 */
	public Entry bound(@Nullable InetAddress address, SocketOptions options) {
		long now = System.nanoTime();
		this.entries.removeIf((entry) -> entry.expired(now));
		Entry entry = new Entry(address, options.reuseAddress(), options.reusePort());
		this.entries.add(entry);
		return entry;
	}

	/**
	 * The listeners that closed connections, in the order they bound.
	 * @return the listeners
	 */
	List<PastListener> pastListeners() {
		return this.entries.stream()
			.filter(Entry::closedAny)
			.map((entry) -> new PastListener(entry.address, entry.reuseAddress, entry.reusePort, entry.firstClose,
					entry.lastClose))
			.toList();
	}

	/**
	 * One listener's record: told each close of a connection it accepted, from any thread.
	 */
	public static final class Entry {

		private final @Nullable InetAddress address;

		private final boolean reuseAddress;

		private final boolean reusePort;

		private volatile boolean closedAny;

		private volatile long firstClose;

		private volatile long lastClose;

		private volatile long closedAt = Long.MAX_VALUE;

		private Entry(@Nullable InetAddress address, boolean reuseAddress, boolean reusePort) {
			this.address = address;
			this.reuseAddress = reuseAddress;
			this.reusePort = reusePort;
		}

		/**
		 * A connection the listener accepted was closed by this side.
		 */
		public void onClose() {
			long now = System.nanoTime();
			if (!this.closedAny) {
				this.firstClose = now;
				this.closedAny = true;
			}
			this.lastClose = now;
		}

		/**
		 * The listener itself was closed; its connections may still close after.
		 */
		public void onListenerClosed() {
			this.closedAt = System.nanoTime();
		}

		boolean closedAny() {
			return this.closedAny;
		}

		private boolean expired(long now) {
			long last = Math.max(this.closedAny ? this.lastClose : Long.MIN_VALUE, this.closedAt);
			return this.closedAt != Long.MAX_VALUE && now - last > KEPT_NANOS;
		}

	}

}
