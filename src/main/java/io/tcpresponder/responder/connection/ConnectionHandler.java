package io.tcpresponder.responder.connection;

import java.io.IOException;
import java.time.Duration;

import io.tcpresponder.kernel.bind.ListenerHistory;
import io.tcpresponder.responder.limit.Admission;
import io.tcpresponder.responder.limit.ClientKey;
import io.tcpresponder.responder.limit.ConnectionLimits;
import io.tcpresponder.responder.limit.Refusal;
import io.tcpresponder.responder.proxy.HeaderCounts;
import io.tcpresponder.responder.proxy.HeaderOutcome;
import io.tcpresponder.responder.proxy.ProxyProtocol;
import io.tcpresponder.transport.Connection;
import io.tcpresponder.transport.Line;
import io.tcpresponder.transport.Transport;

/**
 * What happens to each accepted connection, handed to every listener as its connection callback: admitted against
 * the limits or refused at once, then the line in one write where the socket takes it, the rest by the pending
 * connections' thread, counted and logged at its end. Counts, limits and the log last across the listeners' restarts.
 */
public final class ConnectionHandler {

	private final Line line;

	private final CloseMode closeMode;

	private final AfterLine afterLine;

	private final ConnectionCounts counts = new ConnectionCounts();

	private final Admission admission;

	private final AccessLog accessLog;

	private final PendingConnections pending;

	private final HeaderCounts headerCounts = new HeaderCounts();

	private volatile ProxyProtocol proxyProtocol;

	/**
	 * A handler of the given behaviour.
	 * @param transport the transport whose readiness the pending connections wait on
	 * @param message the line written to every client
	 * @param closeMode which side closes first
	 * @param writeTimeout how long a client may take no byte of the line
	 * @param clientCloseTimeout how long to wait for the client to close, where the close mode waits
	 * @param limits the connections held at once, until a restart changes them
	 * @param accessLog where each connection's line goes
	 * @param proxyProtocol which connections start with a PROXY protocol header, until a restart changes it
	 */
	public ConnectionHandler(Transport transport, String message, CloseMode closeMode, Duration writeTimeout,
			Duration clientCloseTimeout, ConnectionLimits limits, AccessLog accessLog, ProxyProtocol proxyProtocol) {
		this.line = Line.of(message);
		this.closeMode = closeMode;
		this.afterLine = closeMode.afterLine(clientCloseTimeout);
		this.admission = new Admission(limits);
		this.accessLog = accessLog;
		this.proxyProtocol = proxyProtocol;
		this.pending = new PendingConnections(transport, this.counts, writeTimeout);
	}

	/**
	 * Serves a connection on the accept thread: refused at once over a limit, else the line in one write where it
	 * goes, the rest by the pending connections' thread.
	 * @param connection the connection, just accepted
	 * @param listener the record of the listener that accepted it
	 */
	public void serve(Connection connection, ListenerHistory.Entry listener) {
		this.counts.onAccepted();
		ProxyProtocol proxyProtocol = this.proxyProtocol;
		if (proxyProtocol.enabled()) {
			if (proxyProtocol.requiresHeader(connection.remote().getAddress())) {
				awaitHeader(connection, listener, proxyProtocol);
				return;
			}
			this.headerCounts.on(HeaderOutcome.UNTRUSTED_WITHOUT_HEADER);
		}
		ClientKey client = ClientKey.of(connection.remote().getAddress(), this.admission.limits());
		Refusal refusal = this.admission.admit(client);
		if (refusal != null) {
			Exchange.refuse(this, connection, refusal);
			return;
		}
		Exchange exchange = new Exchange(this, connection, listener, client);
		try {
			if (!exchange.write()) {
				this.pending.add(exchange);
			}
		}
		catch (IOException | RuntimeException ex) {
			exchange.end(FailureReason.of(ex));
		}
	}

	/**
	 * Holds a connection that must start with a PROXY protocol header, against {@code max-connections} alone, and
	 * hands it to the pending connections' thread, which reads the header as it arrives: the accept thread never
	 * reads or waits for one.
	 */
	private void awaitHeader(Connection connection, ListenerHistory.Entry listener, ProxyProtocol proxyProtocol) {
		Refusal refusal = this.admission.admitUnnamed();
		if (refusal != null) {
			Exchange.refuse(this, connection, refusal);
			return;
		}
		this.pending.add(new Exchange(this, connection, listener, null), proxyProtocol.headerTimeout());
	}

	/**
	 * Applies a new PROXY protocol setting to the connections that come next.
	 * @param proxyProtocol the setting
	 */
	public void proxyProtocol(ProxyProtocol proxyProtocol) {
		this.proxyProtocol = proxyProtocol;
	}

	/**
	 * PROXY protocol headers by outcome.
	 * @return the counts over the life of the process
	 */
	public HeaderCounts headerCounts() {
		return this.headerCounts;
	}

	/**
	 * Lets the writes in progress finish within the timeout, resets those left, and writes out the access log.
	 * @param timeout how long writes in progress may take
	 */
	public void drain(Duration timeout) {
		this.pending.drain(timeout);
		this.accessLog.flush(timeout.toNanos());
	}

	Line line() {
		return this.line;
	}

	AfterLine afterLine() {
		return this.afterLine;
	}

	public ConnectionCounts counts() {
		return this.counts;
	}

	public Admission admission() {
		return this.admission;
	}

	public AccessLog accessLog() {
		return this.accessLog;
	}

	public CloseMode closeMode() {
		return this.closeMode;
	}

}
