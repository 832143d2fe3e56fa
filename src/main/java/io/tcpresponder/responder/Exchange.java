package io.tcpresponder.responder;

import java.io.IOException;

import io.tcpresponder.transport.Connection;
import io.tcpresponder.transport.Line;
import org.jspecify.annotations.Nullable;

/**
 * One accepted connection, from its first write to its end: the one place that says how a connection ends and how
 * it is counted. It ends closed and counted completed once the whole line is written, or else reset and counted
 * failed, so that a client sees the whole line and then the end of stream, or a reset, never part of the line
 * followed by a clean end.
 */
final class Exchange {

	private final Connection connection;

	private final Line line;

	private final AfterLine afterLine;

	private final ConnectionCounts counts;

	private final ListenerHistory.Entry listener;

	private int written;

	Exchange(Connection connection, Line line, AfterLine afterLine, ConnectionCounts counts,
			ListenerHistory.Entry listener) {
		this.connection = connection;
		this.line = line;
		this.afterLine = afterLine;
		this.counts = counts;
		this.listener = listener;
	}

	/**
	 * Writes what the socket takes of the rest of the line and, once it is all written, ends the exchange, or leaves it
	 * waiting for the client's close where that is what follows the line.
	 * @return whether the exchange ended
	 * @throws IOException if the write fails; the exchange is then still to be ended
	 */
	boolean write() throws IOException {
		if (!lineWritten()) {
			this.written += this.connection.write(this.line, this.written);
			if (!lineWritten()) {
				return false;
			}
			return this.afterLine.closesAtOnce() && end(null);
		}
		return false;
	}

	int written() {
		return this.written;
	}

	boolean lineWritten() {
		return this.written == this.line.length();
	}

	AfterLine afterLine() {
		return this.afterLine;
	}

	Connection connection() {
		return this.connection;
	}

	/**
	 * Ends the connection: closed and counted completed after the whole line, else reset and counted failed.
	 * @param reason why the line could not be finished, or {@code null} if nothing went wrong
	 * @return {@code true}
	 */
	boolean end(@Nullable FailureReason reason) {
		if (lineWritten()) {
			this.connection.close();
			this.listener.onClose();
			this.counts.onCompleted(this.written);
		}
		else {
			this.connection.abort();
			this.counts.onFailed((reason != null) ? reason : FailureReason.ERROR, this.written);
		}
		return true;
	}

}
