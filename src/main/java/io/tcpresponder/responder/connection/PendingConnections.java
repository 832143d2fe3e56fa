package io.tcpresponder.responder.connection;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tcpresponder.transport.Readiness;
import io.tcpresponder.transport.Transport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Finishes, on one thread, the exchanges the accept loop could not finish at once, so that no client can hold it up:
 * the wait for a PROXY protocol header, read as it arrives, and the line right after it; a line that did not go out
 * in one write (a long line, a client that does not read); and the wait for the client to close where that is what
 * follows the line ({@link AfterLine}). A header not whole within its timeout is closed without the line.
 *
 * <p>
 * A write that makes no progress for the write timeout (the client takes no byte), or that is still going when the
 * responder has drained for its shutdown timeout, is reset and counted failed. The timeout runs from the last byte the
 * client took, as nginx's {@code send_timeout} does, so that a client that keeps reading gets the whole line however
 * long the whole takes on a slow link or a busy machine. A client that has the whole line but does not close within
 * the exchange's client close timeout (or by the end of the drain) is closed by the server and counted completed.
 */
final class PendingConnections {

	private static final Log logger = LogFactory.getLog(PendingConnections.class);

	private final Transport transport;

	private final ConnectionCounts counts;

	private final long writeTimeoutNanos;

	private final Queue<Pending> incoming = new ConcurrentLinkedQueue<>();

	/** Whether the thread may be waiting: only then does a new exchange need to wake it. */
	private final AtomicBoolean mayWait = new AtomicBoolean();

	private @Nullable Readiness readiness;

	private @Nullable Thread thread;

	private volatile long drainDeadline;

	/** When the thread wakes by itself at the latest, while it may be waiting. */
	private volatile long wakesAt;

	private volatile boolean draining;

	PendingConnections(Transport transport, ConnectionCounts counts, Duration writeTimeout) {
		this.transport = transport;
		this.counts = counts;
		this.writeTimeoutNanos = writeTimeout.toNanos();
	}

	/**
	 * Takes over an exchange whose line is not all written yet, or written and waiting for the client to close.
	 * @param exchange the exchange
	 */
	void add(Exchange exchange) {
		add(exchange, Duration.ZERO);
	}

	/**
	 * Takes over an exchange that waits for its PROXY protocol header.
	 * @param exchange the exchange
	 * @param headerTimeout how long its header may take
	 */
	void add(Exchange exchange, Duration headerTimeout) {
		Pending pending = new Pending(exchange, headerTimeout.toNanos());
		synchronized (this) {
			if (this.draining) {
				exchange.end(FailureReason.SHUTDOWN);
				return;
			}
			Readiness readiness = startIfNeeded(exchange);
			if (readiness == null) {
				return;
			}
			if (exchange.awaitingHeader()) {
				// The header's bytes wake the thread, where the transport lets this thread watch the connection: no
				// wakeup of its own, unless the thread would wake after the header's deadline.
				try {
					pending.watchedAlready = readiness.watchReadableFromAnyThread(exchange.connection());
				}
				catch (IOException ex) {
					exchange.end(FailureReason.of(ex));
					return;
				}
			}
			this.incoming.add(pending);
			if ((!pending.watchedAlready || pending.deadline - this.wakesAt < 0)
					&& this.mayWait.compareAndSet(true, false)) {
				readiness.wakeup();
			}
		}
	}

	private @Nullable Readiness startIfNeeded(Exchange exchange) {
		if (this.readiness == null) {
			try {
				this.readiness = this.transport.readiness();
			}
			catch (IOException | RuntimeException ex) {
				logger.error("Unable to wait for pending connections", ex);
				exchange.end(FailureReason.ERROR);
				return null;
			}
			Readiness readiness = this.readiness;
			this.thread = new Thread(() -> run(readiness), "responder-pending");
			this.thread.setDaemon(true);
			this.thread.start();
		}
		return this.readiness;
	}

	/**
	 * Lets the pending exchanges finish within the given time, then ends those left and stops the thread.
	 * @param timeout how long to wait for pending exchanges
	 */
	void drain(Duration timeout) {
		Thread thread;
		synchronized (this) {
			this.drainDeadline = System.nanoTime() + timeout.toNanos();
			this.draining = true;
			thread = this.thread;
			if (this.readiness != null) {
				this.readiness.wakeup();
			}
		}
		if (thread != null) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this) {
			this.draining = false;
		}
	}

	private void run(Readiness readiness) {
		List<Pending> pending = new ArrayList<>();
		try {
			while (true) {
				// No later than this wait can end, until the wait's own end is known below: an exchange added
				// meanwhile with an earlier deadline wakes the thread.
				this.wakesAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
				this.mayWait.set(true);
				for (Pending added; (added = this.incoming.poll()) != null;) {
					if (added.watch(readiness)) {
						pending.add(added);
					}
				}
				long now = System.nanoTime();
				pending.removeIf((p) -> p.ended);
				if (this.draining && (pending.isEmpty() || now - this.drainDeadline >= 0)) {
					pending.forEach((p) -> p.end(readiness, FailureReason.SHUTDOWN));
					return;
				}
				// Exchanges added meanwhile are watched first; those watched already are then only polled.
				long timeout = this.incoming.isEmpty() ? waitMillis(pending, now) : 0;
				this.wakesAt = now + TimeUnit.MILLISECONDS.toNanos(timeout);
				readiness.await(timeout, (attachment) -> ((Pending) attachment).ready(readiness));
				this.mayWait.set(false);
				// Only after the ready exchanges had their turn: a client that read while this thread was held up (a
				// busy machine, a pause of the JVM) has made progress, and is not timed out for the server's delay.
				long afterAwait = System.nanoTime();
				pending.removeIf((p) -> p.ended || p.expire(readiness, afterAwait));
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.error("Pending connections stopped", ex);
			pending.forEach((p) -> p.end(readiness, FailureReason.ERROR));
		}
		finally {
			synchronized (this) {
				this.readiness = null;
				this.thread = null;
			}
			readiness.close();
			// What was added before this thread let go of its readiness is still queued here.
			for (Pending left; (left = this.incoming.poll()) != null;) {
				left.exchange.end(FailureReason.SHUTDOWN);
			}
		}
	}

	private long waitMillis(List<Pending> pending, long now) {
		long until = this.draining ? this.drainDeadline : now + TimeUnit.SECONDS.toNanos(1);
		for (Pending p : pending) {
			until = Math.min(until, p.deadline);
		}
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now) + 1);
	}

	/**
	 * One exchange: writing the rest of its line, then, where that is what follows the line, waiting for the client to
	 * close.
	 */
	private final class Pending {

		private final Exchange exchange;

		/** While writing, the write timeout after the last byte written; then the client close timeout. */
		private long deadline;

		private boolean ended;

		/** Watched by the thread that added it already: only to be adopted. */
		private boolean watchedAlready;

		Pending(Exchange exchange, long headerTimeoutNanos) {
			this.exchange = exchange;
			this.deadline = System.nanoTime() + (exchange.awaitingHeader() ? headerTimeoutNanos
					: exchange.lineWritten() ? clientCloseTimeoutNanos() : PendingConnections.this.writeTimeoutNanos);
		}

		boolean watch(Readiness readiness) {
			if (this.watchedAlready) {
				readiness.adopt(this.exchange.connection(), this);
				return true;
			}
			try {
				readiness.watch(this.exchange.connection(), writing(), this);
				return true;
			}
			catch (IOException ex) {
				end(readiness, FailureReason.of(ex));
				return false;
			}
		}

		/**
		 * Writes what the socket takes, or reads what the client sent while waiting for its close.
		 */
		void ready(Readiness readiness) {
			if (this.ended) {
				return;
			}
			try {
				if (this.exchange.awaitingHeader()) {
					if (this.exchange.readHeader(readiness)) {
						readiness.forget(this.exchange.connection());
						this.ended = true;
					}
					else if (!this.exchange.awaitingHeader()) {
						// The header came, and what follows it began: the rest of the line, or the client's close.
						this.deadline = System.nanoTime() + (this.exchange.lineWritten() ? clientCloseTimeoutNanos()
								: PendingConnections.this.writeTimeoutNanos);
						readiness.watch(this.exchange.connection(), writing(), this);
					}
				}
				else if (!this.exchange.lineWritten()) {
					int before = this.exchange.written();
					boolean ended = this.exchange.write();
					if (this.exchange.written() > before) {
						this.deadline = System.nanoTime() + PendingConnections.this.writeTimeoutNanos;
					}
					if (ended) {
						readiness.forget(this.exchange.connection());
						this.ended = true;
					}
					else if (this.exchange.lineWritten()) {
						this.deadline = System.nanoTime() + clientCloseTimeoutNanos();
						readiness.watch(this.exchange.connection(), false, this);
					}
				}
				else if (readiness.discardInput(this.exchange.connection())) {
					end(readiness, null);
				}
			}
			catch (IOException ex) {
				end(readiness, FailureReason.of(ex));
			}
		}

		/** Whether it waits to write, rather than to read (a header, or the client's close). */
		private boolean writing() {
			return !this.exchange.awaitingHeader() && !this.exchange.lineWritten();
		}

		private long clientCloseTimeoutNanos() {
			Duration timeout = this.exchange.afterLine().clientCloseTimeout();
			return (timeout != null) ? timeout.toNanos() : 0;
		}

		boolean expire(Readiness readiness, long now) {
			if (now - this.deadline < 0) {
				return false;
			}
			if (this.exchange.awaitingHeader()) {
				this.exchange.headerTimedOut();
				return end(readiness, FailureReason.PROXY_TIMEOUT);
			}
			if (this.exchange.lineWritten()) {
				PendingConnections.this.counts.onClientCloseTimeout();
			}
			return end(readiness, FailureReason.TIMEOUT);
		}

		boolean end(Readiness readiness, @Nullable FailureReason reason) {
			readiness.forget(this.exchange.connection());
			this.ended = true;
			return this.exchange.end(reason);
		}

	}

}
