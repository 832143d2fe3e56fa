package io.tcpresponder.responder;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.tcpresponder.transport.Connection;
import io.tcpresponder.transport.Line;
import org.jspecify.annotations.Nullable;

/**
 * One accepted connection, from its first write to its end: the one place that says how a connection ends and how
 * it is counted. It ends closed and counted completed once the whole line is written, or else reset and counted
 * failed, so that a client sees the whole line and then the end of stream, or a reset, never part of the line
 * followed by a clean end. Its end lets go of what it held against the connection limits, and queues its access-log
 * line where the log is on.
 */
final class Exchange {

	private final Connection connection;

	private final Line line;

	private final AfterLine afterLine;

	private final ConnectionCounts counts;

	private final ListenerHistory.Entry listener;

	private final Admission admission;

	private final ClientKey client;

	private final AccessLog accessLog;

	private final @Nullable InetSocketAddress local;

	private final long acceptedAtMillis;

	private final long acceptedNanos;

	private int written;

	/**
	 * @param admission what holds the connection against the limits, released at its end
	 * @param client the client it holds it for
	 * @param accessLog where its line goes at its end, where the log is on
	 */
	Exchange(Connection connection, Line line, AfterLine afterLine, ConnectionCounts counts,
			ListenerHistory.Entry listener, Admission admission, ClientKey client, AccessLog accessLog) {
		this.connection = connection;
		this.line = line;
		this.afterLine = afterLine;
		this.counts = counts;
		this.listener = listener;
		this.admission = admission;
		this.client = client;
		this.accessLog = accessLog;
		if (accessLog.enabled()) {
			this.acceptedAtMillis = System.currentTimeMillis();
			this.acceptedNanos = System.nanoTime();
			this.local = localOf(connection);
		}
		else {
			this.acceptedAtMillis = 0;
			this.acceptedNanos = 0;
			this.local = null;
		}
	}

	/**
	 * A connection refused before its line: reset at once, counted, and logged where the log is on.
	 * @param connection the connection
	 * @param refusal the limit it was over
	 * @param counts the counts
	 * @param accessLog the access log
	 */
	static void refuse(Connection connection, Refusal refusal, ConnectionCounts counts, AccessLog accessLog) {
		InetSocketAddress local = accessLog.enabled() ? localOf(connection) : null;
		long acceptedAtMillis = accessLog.enabled() ? System.currentTimeMillis() : 0;
		connection.abort();
		counts.onRefused(refusal);
		if (accessLog.enabled()) {
			accessLog.add(new AccessLog.Entry(connection.remote(), local, acceptedAtMillis, 0, 0,
					"refused-" + refusal.value()));
		}
	}

	private static @Nullable InetSocketAddress localOf(Connection connection) {
		try {
			return connection.local();
		}
		catch (IOException ex) {
			return null;
		}
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
		String outcome;
		if (lineWritten()) {
			this.connection.close();
			this.listener.onClose();
			this.admission.release(this.client);
			this.counts.onCompleted(this.written);
			outcome = (reason != null) ? reason.tag() : this.afterLine.closesAtOnce() ? "completed" : "client-closed";
		}
		else {
			this.connection.abort();
			this.admission.release(this.client);
			FailureReason failure = (reason != null) ? reason : FailureReason.ERROR;
			this.counts.onFailed(failure, this.written);
			outcome = failure.tag();
		}
		if (this.accessLog.enabled()) {
			this.accessLog.add(new AccessLog.Entry(this.connection.remote(), this.local, this.acceptedAtMillis,
					System.nanoTime() - this.acceptedNanos, this.written, outcome));
		}
		return true;
	}

}
