package io.tcpresponder.responder.limit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * How many connections the responder holds at once, in all and per client, as the accept threads apply them: a
 * connection over a limit is accepted and reset at once, before the line, and counted refused. The configuration's
 * limits ({@code responder.limits.*}) become these when the responder starts, the defaults derived from the process's
 * descriptor limit; a restart body changes them by name, checked by the constraints here.
 *
 * @param maxConnections connections held at once over all listeners
 * @param maxConnectionsPerClient connections held at once per client (see the prefixes); 0 for no such limit
 * @param ipv4Prefix how many leading bits of an IPv4 client's address make the client (32: each address)
 * @param ipv6Prefix how many leading bits of an IPv6 client's address make the client (64: each /64, the block a
 * single host or home is given)
 */
public record ConnectionLimits(@Min(1) int maxConnections, @Min(0) int maxConnectionsPerClient,
		@Min(1) @Max(32) int ipv4Prefix, @Min(1) @Max(128) int ipv6Prefix) {

	/** For settings made in code without limits: nothing is refused. */
	public static final ConnectionLimits NONE = new ConnectionLimits(Integer.MAX_VALUE, 0, 32, 64);

	public ConnectionLimits withMaxConnections(int maxConnections) {
		return new ConnectionLimits(maxConnections, this.maxConnectionsPerClient, this.ipv4Prefix, this.ipv6Prefix);
	}

	public ConnectionLimits withMaxConnectionsPerClient(int maxConnectionsPerClient) {
		return new ConnectionLimits(this.maxConnections, maxConnectionsPerClient, this.ipv4Prefix, this.ipv6Prefix);
	}

	public ConnectionLimits withIpv4Prefix(int ipv4Prefix) {
		return new ConnectionLimits(this.maxConnections, this.maxConnectionsPerClient, ipv4Prefix, this.ipv6Prefix);
	}

	public ConnectionLimits withIpv6Prefix(int ipv6Prefix) {
		return new ConnectionLimits(this.maxConnections, this.maxConnectionsPerClient, this.ipv4Prefix, ipv6Prefix);
	}

	/**
	 * The limits as the log line says them.
	 * @return such as {@code at most 900 connections, 225 per client (/32, /64)}
	 */
	public String describe() {
		return "at most " + this.maxConnections + " connections, "
				+ ((this.maxConnectionsPerClient > 0) ? this.maxConnectionsPerClient + " per client" : "no limit per client")
				+ " (IPv4 /" + this.ipv4Prefix + ", IPv6 /" + this.ipv6Prefix + ")";
	}

}
