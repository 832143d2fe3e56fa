package io.tcpresponder.responder.proxy;

import java.util.Locale;

/**
 * What became of a connection's PROXY protocol header: a small fixed set, so that it can tag a meter.
 */
public enum HeaderOutcome {

	/** A version 1 (text) header naming the client, over TCP on IPv4 or IPv6. */
	V1,

	/** A version 2 (binary) header naming the client, over TCP on IPv4 or IPv6. */
	V2,

	/**
	 * A header that names no client: version 2's {@code LOCAL} command (a balancer's own health check), version 1's
	 * {@code UNKNOWN}, or an address family the specification lets a receiver fall back from; served with the socket's
	 * own addresses.
	 */
	LOCAL,

	/** Not a header, a malformed or oversized one, or the end of stream before a whole one: closed without the line. */
	INVALID,

	/** No whole header within {@code header-timeout}: closed without the line. */
	TIMEOUT,

	/** A connection from a peer that is not a trusted proxy, served at once as a direct client. */
	UNTRUSTED_WITHOUT_HEADER;

	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
