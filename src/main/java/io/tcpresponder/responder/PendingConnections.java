package io.tcpresponder.responder;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Finishes, on one selector thread, the connections the accept loop could not finish at once, so that no client
 * can hold it up: a line that did not go out in one write (a long line, a client that does not read), and, in
 * {@link CloseMode#CLIENT_FIRST}, the wait for the client to close.
 *
 * <p>
 * A write that makes no progress for the write timeout (the client takes no byte), or that is still going when the
 * responder has drained for its shutdown timeout, is reset and counted failed: the client sees a reset, never a
 * partial line followed by a clean end of stream. The timeout runs from the last byte the client took, as nginx's
 * {@code send_timeout} does, so that a client that keeps reading gets the whole line however long the whole takes
 * on a slow link or a busy machine. A client that has the whole line but does not close within the client close
 * timeout (or by the end of the drain) is closed by the server and counted completed.
 */
final class PendingConnections {

	private static final Log logger = LogFactory.getLog(PendingConnections.class);

	private final ConnectionCounts counts;

	private final long writeTimeoutNanos;

	private final long clientCloseTimeoutNanos;

	private final Queue<Pending> incoming = new ConcurrentLinkedQueue<>();

	private final ByteBuffer discard = ByteBuffer.allocateDirect(16 * 1024);

	private @Nullable Selector selector;

	private @Nullable Thread thread;

	private volatile long drainDeadline;

	private volatile boolean draining;

	PendingConnections(ConnectionCounts counts, Duration writeTimeout, Duration clientCloseTimeout) {
		this.counts = counts;
		this.writeTimeoutNanos = writeTimeout.toNanos();
		this.clientCloseTimeoutNanos = clientCloseTimeout.toNanos();
	}

	/**
	 * Takes over a non-blocking connection whose line is not written yet, or written and waiting for the client to
	 * close.
	 * @param connection the connection, in non-blocking mode
	 * @param line the line, positioned after what was written
	 * @param awaitClientClose whether to wait for the client to close once the line is written
	 */
	void add(SocketChannel connection, ByteBuffer line, boolean awaitClientClose) {
		synchronized (this) {
			Pending pending = new Pending(connection, line, awaitClientClose);
			if (this.draining) {
				pending.end(FailureReason.SHUTDOWN);
				return;
			}
			Selector selector = startIfNeeded(pending);
			if (selector != null) {
				this.incoming.add(pending);
				selector.wakeup();
			}
		}
	}

	private @Nullable Selector startIfNeeded(Pending pending) {
		if (this.selector == null) {
			try {
				this.selector = Selector.open();
			}
			catch (IOException ex) {
				logger.error("Unable to open a selector for pending connections", ex);
				pending.end(FailureReason.ERROR);
				return null;
			}
			Selector selector = this.selector;
			this.thread = new Thread(() -> run(selector), "responder-pending");
			this.thread.setDaemon(true);
			this.thread.start();
		}
		return this.selector;
	}

	/**
	 * Lets the pending connections finish within the given time, then ends those left and stops the thread.
	 * @param timeout how long to wait for pending connections
	 */
	void drain(Duration timeout) {
		Thread thread;
		synchronized (this) {
			this.drainDeadline = System.nanoTime() + timeout.toNanos();
			this.draining = true;
			thread = this.thread;
			if (this.selector != null) {
				this.selector.wakeup();
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

	private void run(Selector selector) {
		List<Pending> pending = new ArrayList<>();
		try (selector) {
			while (true) {
				for (Pending added; (added = this.incoming.poll()) != null;) {
					if (added.register(selector)) {
						pending.add(added);
					}
				}
				long now = System.nanoTime();
				if (this.draining && (pending.isEmpty() || now - this.drainDeadline >= 0)) {
					pending.forEach((p) -> p.end(FailureReason.SHUTDOWN));
					return;
				}
				selector.select(waitMillis(pending, now));
				for (SelectionKey key : selector.selectedKeys()) {
					Pending p = (Pending) key.attachment();
					if (p.ready()) {
						pending.remove(p);
					}
				}
				selector.selectedKeys().clear();
				// Only after the ready connections had their turn: a client that read while this thread was held up
				// (a busy machine, a pause of the JVM) has made progress, and is not timed out for the server's delay.
				long afterSelect = System.nanoTime();
				pending.removeIf((p) -> p.expire(afterSelect));
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.error("Pending connections stopped", ex);
			pending.forEach((p) -> p.end(FailureReason.ERROR));
		}
		finally {
			synchronized (this) {
				this.selector = null;
				this.thread = null;
			}
			// What was added before this thread let go of its selector is still queued here.
			for (Pending left; (left = this.incoming.poll()) != null;) {
				left.end(FailureReason.SHUTDOWN);
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
	 * Resets a connection: SO_LINGER 0, then close.
	 * @param connection the connection
	 */
	static void abort(SocketChannel connection) {
		try {
			connection.setOption(StandardSocketOptions.SO_LINGER, 0);
		}
		catch (IOException ex) {
			// Already reset or closed: closing is all that is left.
		}
		close(connection);
	}

	private static void close(SocketChannel connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			logger.debug("Closing a connection failed", ex);
		}
	}

	/**
	 * One connection: writing the rest of its line, then, if asked, waiting for the client to close.
	 */
	private final class Pending {

		private final SocketChannel connection;

		private final ByteBuffer line;

		private final boolean awaitClientClose;

		private @Nullable SelectionKey key;

		/** While writing, the write timeout after the last byte written; then the client close timeout. */
		private long deadline;

		Pending(SocketChannel connection, ByteBuffer line, boolean awaitClientClose) {
			this.connection = connection;
			this.line = line;
			this.awaitClientClose = awaitClientClose;
			this.deadline = System.nanoTime()
					+ (line.hasRemaining() ? PendingConnections.this.writeTimeoutNanos
							: PendingConnections.this.clientCloseTimeoutNanos);
		}

		boolean register(Selector selector) {
			try {
				this.key = this.connection.register(selector,
						this.line.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ, this);
				return true;
			}
			catch (IOException ex) {
				end(FailureReason.of(ex));
				return false;
			}
		}

		/**
		 * Writes what the socket takes, or reads what the client sent while waiting for its close.
		 * @return whether this connection ended
		 */
		boolean ready() {
			try {
				if (this.line.hasRemaining()) {
					if (this.connection.write(this.line) > 0) {
						this.deadline = System.nanoTime() + PendingConnections.this.writeTimeoutNanos;
					}
					if (this.line.hasRemaining()) {
						return false;
					}
					if (!this.awaitClientClose) {
						return end(null);
					}
					this.deadline = System.nanoTime() + PendingConnections.this.clientCloseTimeoutNanos;
					this.key.interestOps(SelectionKey.OP_READ);
					return false;
				}
				return awaitClose();
			}
			catch (IOException ex) {
				return end(FailureReason.of(ex));
			}
		}

		private boolean awaitClose() throws IOException {
			ByteBuffer discard = PendingConnections.this.discard;
			for (int n; (n = this.connection.read(discard.clear())) != 0;) {
				if (n < 0) {
					return end(null);
				}
			}
			return false;
		}

		boolean expire(long now) {
			if (now - this.deadline < 0) {
				return false;
			}
			if (!this.line.hasRemaining()) {
				PendingConnections.this.counts.onClientCloseTimeout();
			}
			end(FailureReason.TIMEOUT);
			return true;
		}

		/**
		 * Ends the connection: closed after a whole line, else reset and counted failed for the given reason.
		 * @param reason why the line could not be finished, or {@code null} if it was
		 * @return {@code true}
		 */
		boolean end(@Nullable FailureReason reason) {
			if (!this.line.hasRemaining()) {
				close(this.connection);
				PendingConnections.this.counts.onCompleted(this.line.position());
			}
			else {
				abort(this.connection);
				PendingConnections.this.counts.onFailed((reason != null) ? reason : FailureReason.ERROR,
						this.line.position());
			}
			return true;
		}

	}

}
