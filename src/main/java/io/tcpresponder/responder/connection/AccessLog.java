package io.tcpresponder.responder.connection;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tcpresponder.transport.Addresses;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per connection, {@code responder.access-log.enabled}, through the logging system under its own logger,
 * {@value #LOGGER}, so that it can go to a file of its own or to JSON (Spring Boot's structured logging takes its
 * key-value pairs as fields). The accept threads only queue an entry: a thread of its own formats and writes it, so
 * that a slow log never holds up an accept. A full queue drops the entry and counts it, rather than wait.
 */
public final class AccessLog {

	/** The logger's name. */
	public static final String LOGGER = "io.tcpresponder.access";

	/** Off: nothing is queued, nothing is written, no thread runs. */
	public static final AccessLog OFF = new AccessLog(false);

	/** Entries waiting for the writer: a second of a busy responder's connections. */
	private static final int QUEUE = 65_536;

	private static final Logger logger = LoggerFactory.getLogger(LOGGER);

	private final boolean enabled;

	private final @Nullable BlockingQueue<Entry> queue;

	private final AtomicLong dropped = new AtomicLong();

	public AccessLog(boolean enabled) {
		this.enabled = enabled;
		this.queue = enabled ? new ArrayBlockingQueue<>(QUEUE) : null;
		if (enabled) {
			Thread.ofPlatform().name("responder-access-log").daemon().start(this::write);
		}
	}

	boolean enabled() {
		return this.enabled;
	}

	/**
	 * Queues a connection's line, or counts it dropped when the writer is that far behind.
	 * @param entry the connection
	 */
	void add(Entry entry) {
		if (this.queue != null && !this.queue.offer(entry)) {
			this.dropped.incrementAndGet();
		}
	}

	/**
	 * Entries dropped because the queue was full.
	 * @return the count over the life of the process
	 */
	public long dropped() {
		return this.dropped.get();
	}

	/**
	 * Waits, for at most the given time, until every queued line is written: at shutdown, so that the last
	 * connections are in the log.
	 * @param timeoutNanos how long to wait
	 */
	void flush(long timeoutNanos) {
		long deadline = System.nanoTime() + timeoutNanos;
		while (this.queue != null && !this.queue.isEmpty() && System.nanoTime() - deadline < 0) {
			java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
	}

	private void write() {
		BlockingQueue<Entry> queue = this.queue;
		while (true) {
			try {
				queue.take().log();
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				// A broken appender: the next line may fare better, and the responder goes on.
			}
		}
	}

	/**
	 * One connection, from accept to its end.
	 *
	 * @param client the client's address and port: the socket's peer, or the client a PROXY protocol header named
	 * @param proxy the socket's peer where a PROXY protocol header was read, {@code null} for a direct client
	 * @param local the address and port it connected to; {@code null} where the kernel could not tell it
	 * @param acceptedAtMillis when it was accepted, in milliseconds since the epoch
	 * @param durationNanos how long it was held, from accept to close
	 * @param bytes bytes of the line written to it
	 * @param outcome how it ended: {@code completed} (the server closed after the line), {@code client-closed} (the
	 * client closed after the line, in client-first mode), {@code timeout}, {@code reset}, {@code shutdown},
	 * {@code error}, {@code proxy-invalid} and {@code proxy-timeout} (no whole PROXY protocol header), or
	 * {@code refused} with the limit it was over
	 */
	record Entry(InetSocketAddress client, @Nullable InetSocketAddress proxy, @Nullable InetSocketAddress local,
			long acceptedAtMillis, long durationNanos, long bytes, String outcome) {

		void log() {
			String acceptedAt = Instant.ofEpochMilli(this.acceptedAtMillis).toString();
			String client = Addresses.text(this.client.getAddress());
			String local = (this.local != null) ? Addresses.text(this.local.getAddress()) : "-";
			String localPort = (this.local != null) ? String.valueOf(this.local.getPort()) : "-";
			double millis = this.durationNanos / 1e6;
			String line = "client={} port={} local={} local_port={} accepted_at={} duration_ms={} bytes={} outcome={}";
			LoggingEventBuilder event = logger.atInfo()
				.addKeyValue("client.address", client)
				.addKeyValue("client.port", this.client.getPort())
				.addKeyValue("local.address", local)
				.addKeyValue("local.port", localPort)
				.addKeyValue("accepted_at", acceptedAt)
				.addKeyValue("duration_ms", millis)
				.addKeyValue("bytes", this.bytes)
				.addKeyValue("outcome", this.outcome);
			String duration = String.format(java.util.Locale.ROOT, "%.3f", millis);
			if (this.proxy == null) {
				event.log(line, client, this.client.getPort(), local, localPort, acceptedAt, duration, this.bytes,
						this.outcome);
			}
			else {
				String proxy = Addresses.text(this.proxy.getAddress());
				event.addKeyValue("proxy.address", proxy)
					.addKeyValue("proxy.port", this.proxy.getPort())
					.log(line + " proxy={} proxy_port={}", client, this.client.getPort(), local, localPort, acceptedAt,
							duration, this.bytes, this.outcome, proxy, this.proxy.getPort());
			}
		}

	}

}
