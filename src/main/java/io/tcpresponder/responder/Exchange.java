package io.tcpresponder.responder;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * One accepted connection, from its first write to its end: the one place that says how a connection ends and how
 * it is counted. It ends closed and counted completed once the whole line is written, or else reset and counted
 * failed, so that a client sees the whole line and then the end of stream, or a reset, never part of the line
 * followed by a clean end.
 */
final class Exchange {

	private final Transport.Connection connection;

	private final Line line;

	private final CloseMode closeMode;

	private final ConnectionCounts counts;

	private int written;

	Exchange(Transport.Connection connection, Line line, CloseMode closeMode, ConnectionCounts counts) {
		this.connection = connection;
		this.line = line;
		this.closeMode = closeMode;
		this.counts = counts;
	}

	/**
	 * Writes what the socket takes of the rest of the line and, once it is all written, lets the close mode end the
	 * exchange or leave it waiting for the client's close.
	 * @return whether the exchange ended
	 * @throws IOException if the write fails; the exchange is then still to be ended
	 */
	boolean write() throws IOException {
		if (!lineWritten()) {
			this.written += this.connection.write(this.line, this.written);
			if (!lineWritten()) {
				return false;
			}
			return this.closeMode.lineWritten(this);
		}
		return false;
	}

	int written() {
		return this.written;
	}

	boolean lineWritten() {
		return this.written == this.line.length();
	}

	Transport.Connection connection() {
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
			this.counts.onCompleted(this.written);
		}
		else {
			this.connection.abort();
			this.counts.onFailed((reason != null) ? reason : FailureReason.ERROR, this.written);
		}
		return true;
	}

}
