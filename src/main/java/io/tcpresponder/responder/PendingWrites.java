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
 * Finishes the writes that did not complete at once (a large line, a client that does not read), on one selector
 * thread, so that no client can hold up the accept loop. A write that takes longer than the write timeout, or that is
 * still going when the responder has drained for its shutdown timeout, is reset and counted failed: the client sees
 * a reset, never a partial line followed by a clean end of stream.
 */
final class PendingWrites {

	private static final Log logger = LogFactory.getLog(PendingWrites.class);

	private final ConnectionCounts counts;

	private final long writeTimeoutNanos;

	private final Queue<Pending> incoming = new ConcurrentLinkedQueue<>();

	private @Nullable Selector selector;

	private @Nullable Thread thread;

	private volatile long drainDeadline;

	private volatile boolean draining;

	PendingWrites(ConnectionCounts counts, Duration writeTimeout) {
		this.counts = counts;
		this.writeTimeoutNanos = writeTimeout.toNanos();
	}

	/**
	 * Takes over a non-blocking connection whose line is partly written.
	 * @param connection the connection, in non-blocking mode
	 * @param line the rest of the line, positioned after what was written
	 */
	void add(SocketChannel connection, ByteBuffer line) {
		synchronized (this) {
			if (this.draining) {
				abort(connection);
				this.counts.onFailed(FailureReason.SHUTDOWN, line.position());
				return;
			}
			Selector selector = startIfNeeded(connection, line);
			if (selector != null) {
				this.incoming.add(new Pending(connection, line, System.nanoTime() + this.writeTimeoutNanos));
				selector.wakeup();
			}
		}
	}

	private @Nullable Selector startIfNeeded(SocketChannel connection, ByteBuffer line) {
		if (this.selector == null) {
			try {
				this.selector = Selector.open();
			}
			catch (IOException ex) {
				logger.error("Unable to open a selector for pending writes", ex);
				abort(connection);
				this.counts.onFailed(FailureReason.ERROR, line.position());
				return null;
			}
			Selector selector = this.selector;
			this.thread = new Thread(() -> run(selector), "responder-writer");
			this.thread.setDaemon(true);
			this.thread.start();
		}
		return this.selector;
	}

	/**
	 * Lets the pending writes finish within the given time, then resets those left and stops the writer thread.
	 * @param timeout how long to wait for pending writes
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
					register(selector, added, pending);
				}
				long now = System.nanoTime();
				expire(pending, now);
				if (this.draining && (pending.isEmpty() || now - this.drainDeadline >= 0)) {
					pending.forEach((p) -> p.fail(FailureReason.SHUTDOWN));
					return;
				}
				selector.select(waitMillis(pending, now));
				for (SelectionKey key : selector.selectedKeys()) {
					Pending p = (Pending) key.attachment();
					if (p.write()) {
						pending.remove(p);
					}
				}
				selector.selectedKeys().clear();
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.error("Pending writes stopped", ex);
			pending.forEach((p) -> p.fail(FailureReason.ERROR));
		}
		finally {
			synchronized (this) {
				this.selector = null;
				this.thread = null;
			}
			// What was added before the writer let go of its selector is still queued here.
			for (Pending left; (left = this.incoming.poll()) != null;) {
				left.fail(FailureReason.SHUTDOWN);
			}
		}
	}

	private void register(Selector selector, Pending added, List<Pending> pending) {
		try {
			added.connection.register(selector, SelectionKey.OP_WRITE, added);
			pending.add(added);
		}
		catch (IOException ex) {
			added.fail(FailureReason.of(ex));
		}
	}

	private void expire(List<Pending> pending, long now) {
		pending.removeIf((p) -> {
			if (now - p.deadline >= 0) {
				p.fail(FailureReason.TIMEOUT);
				return true;
			}
			return false;
		});
	}

	private long waitMillis(List<Pending> pending, long now) {
		long until = this.draining ? this.drainDeadline : now + TimeUnit.SECONDS.toNanos(1);
		for (Pending p : pending) {
			until = Math.min(until, p.deadline);
		}
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now) + 1);
	}

	static void abort(SocketChannel connection) {
		try {
			connection.setOption(StandardSocketOptions.SO_LINGER, 0);
		}
		catch (IOException ex) {
			// Already reset or closed: closing is all that is left.
		}
		try {
			connection.close();
		}
		catch (IOException ex) {
			logger.debug("Closing a connection failed", ex);
		}
	}

	private final class Pending {

		private final SocketChannel connection;

		private final ByteBuffer line;

		private final long deadline;

		Pending(SocketChannel connection, ByteBuffer line, long deadline) {
			this.connection = connection;
			this.line = line;
			this.deadline = deadline;
		}

		/**
		 * Writes what the socket takes.
		 * @return whether this connection ended
		 */
		boolean write() {
			try {
				this.connection.write(this.line);
				if (this.line.hasRemaining()) {
					return false;
				}
				this.connection.close();
				PendingWrites.this.counts.onCompleted(this.line.position());
			}
			catch (IOException ex) {
				fail(FailureReason.of(ex));
			}
			return true;
		}

		void fail(FailureReason reason) {
			abort(this.connection);
			PendingWrites.this.counts.onFailed(reason, this.line.position());
		}

	}

}
