package io.tcpresponder.responder.proxy;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * A whole PROXY protocol header.
 *
 * @param outcome {@link HeaderOutcome#V1}, {@link HeaderOutcome#V2} or {@link HeaderOutcome#LOCAL}
 * @param source the client the header names, its address and port; {@code null} where it names none (LOCAL), and the
 * connection is the socket's peer's
 * @param destination the address and port the client connected to on the balancer; {@code null} where none is named
 * @param length the header's bytes
 */
public record ProxyHeader(HeaderOutcome outcome, @Nullable InetSocketAddress source,
		@Nullable InetSocketAddress destination, int length) {

	static ProxyHeader local(int length) {
		return new ProxyHeader(HeaderOutcome.LOCAL, null, null, length);
	}

}
