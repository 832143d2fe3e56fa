package io.tcpresponder.responder.connection;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.tcpresponder.kernel.bind.ListenerHistory;
import io.tcpresponder.responder.limit.ClientKey;
import io.tcpresponder.responder.limit.Refusal;
import io.tcpresponder.responder.proxy.HeaderOutcome;
import io.tcpresponder.responder.proxy.HeaderReader;
import io.tcpresponder.responder.proxy.InvalidHeaderException;
import io.tcpresponder.responder.proxy.ProxyHeader;
import io.tcpresponder.transport.Connection;
import io.tcpresponder.transport.Readiness;
import org.jspecify.annotations.Nullable;

/**
 * One accepted connection, from its PROXY protocol header, where it must send one, and its first write to its end:
 * the one place that says how a connection ends and how it is counted. It ends closed and counted completed once the
 * whole line is written, or else reset and counted failed, so that a client sees the whole line and then the end of
 * stream, or a reset, never part of the line followed by a clean end. Its end lets go of what it held against the
 * connection limits, and queues its access-log line where the log is on.
 */
final class Exchange {

	private final ConnectionHandler handler;

	private final Connection connection;

	private final ListenerHistory.Entry listener;

	/** The client it is held against the limits for; {@code null} while it waits for its header. */
	private @Nullable ClientKey client;

	/** Its PROXY protocol header as far as it has arrived; {@code null} once read, or where none is required. */
	private @Nullable HeaderReader header;

	/** The client's address and port: the socket's peer, or the client a PROXY protocol header named. */
	private InetSocketAddress clientAddress;

	/** The socket's peer where a PROXY protocol header was read: the proxy. */
	private @Nullable InetSocketAddress proxy;

	private final @Nullable InetSocketAddress local;

	private final long acceptedAtMillis;

	private final long acceptedNanos;

	private int written;

	/**
	 * @param handler what serves the connection: its line, the behaviour after it, the counts, the limits and the log
	 * @param connection the connection, just accepted
	 * @param listener the record of the listener that accepted it, told of its close
	 * @param client the client it is held against the limits for, released at its end; {@code null} for a connection
	 * held unnamed until its PROXY protocol header names the client
	 */
	Exchange(ConnectionHandler handler, Connection connection, ListenerHistory.Entry listener,
			@Nullable ClientKey client) {
		this.handler = handler;
		this.connection = connection;
		this.listener = listener;
		this.client = client;
		this.header = (client != null) ? null : new HeaderReader();
		this.clientAddress = connection.remote();
		if (handler.accessLog().enabled()) {
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
	 * @param handler what serves the connection
	 * @param connection the connection
	 * @param refusal the limit it was over
	 */
	static void refuse(ConnectionHandler handler, Connection connection, Refusal refusal) {
		AccessLog accessLog = handler.accessLog();
		InetSocketAddress local = accessLog.enabled() ? localOf(connection) : null;
		long acceptedAtMillis = accessLog.enabled() ? System.currentTimeMillis() : 0;
		connection.abort();
		handler.counts().onRefused(refusal);
		if (accessLog.enabled()) {
			accessLog.add(new AccessLog.Entry(connection.remote(), null, local, acceptedAtMillis, 0, 0,
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

	boolean awaitingHeader() {
		return this.header != null;
	}

	/**
	 * Reads what arrived of the PROXY protocol header and, once it is whole, holds the connection as the client it
	 * names and writes the line: right after the header, never before.
	 * @param readiness what the connection is watched by, which reads it
	 * @return whether the exchange ended (an invalid header, a refusal, or the line written and closed)
	 */
	boolean readHeader(Readiness readiness) {
		HeaderReader reader = this.header;
		ProxyHeader header;
		try {
			header = reader.read((into, offset, length) -> readiness.read(this.connection, into, offset, length));
		}
		catch (InvalidHeaderException | IOException ex) {
			this.handler.headerCounts().on(HeaderOutcome.INVALID);
			return end(FailureReason.PROXY_INVALID);
		}
		if (header == null) {
			return false;
		}
		this.handler.headerCounts().on(header.outcome());
		this.header = null;
		this.proxy = this.connection.remote();
		if (header.source() != null) {
			this.clientAddress = header.source();
		}
		ClientKey client = ClientKey.of(this.clientAddress.getAddress(), this.handler.admission().limits());
		Refusal refusal = this.handler.admission().name(client);
		if (refusal != null) {
			this.connection.abort();
			this.handler.counts().onRefused(refusal);
			log("refused-" + refusal.value());
			return true;
		}
		this.client = client;
		try {
			return write();
		}
		catch (IOException ex) {
			return end(FailureReason.of(ex));
		}
	}

	/**
	 * Counts a header that did not come whole within its timeout; the exchange is then to be ended.
	 */
	void headerTimedOut() {
		this.handler.headerCounts().on(HeaderOutcome.TIMEOUT);
	}

	/**
	 * Writes what the socket takes of the rest of the line and, once it is all written, ends the exchange, or leaves it
	 * waiting for the client's close where that is what follows the line.
	 * @return whether the exchange ended
	 * @throws IOException if the write fails; the exchange is then still to be ended
	 */
	boolean write() throws IOException {
		if (!lineWritten()) {
			this.written += this.connection.write(this.handler.line(), this.written);
			if (!lineWritten()) {
				return false;
			}
			return afterLine().closesAtOnce() && end(null);
		}
		return false;
	}

	int written() {
		return this.written;
	}

	boolean lineWritten() {
		return this.written == this.handler.line().length();
	}

	AfterLine afterLine() {
		return this.handler.afterLine();
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
			release();
			this.handler.counts().onCompleted(this.written);
			outcome = (reason != null) ? reason.tag() : afterLine().closesAtOnce() ? "completed" : "client-closed";
		}
		else {
			this.connection.abort();
			release();
			FailureReason failure = (reason != null) ? reason : FailureReason.ERROR;
			this.handler.counts().onFailed(failure, this.written);
			outcome = failure.tag();
		}
		log(outcome);
		return true;
	}

	private void release() {
		ClientKey client = this.client;
		if (client != null) {
			this.handler.admission().release(client);
		}
		else {
			this.handler.admission().releaseUnnamed();
		}
	}

	private void log(String outcome) {
		if (this.handler.accessLog().enabled()) {
			this.handler.accessLog().add(new AccessLog.Entry(this.clientAddress, this.proxy, this.local,
					this.acceptedAtMillis, System.nanoTime() - this.acceptedNanos, this.written, outcome));
		}
	}

}
