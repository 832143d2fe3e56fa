package io.tcpresponder.responder;

import java.util.Locale;

/**
 * Which side closes a connection first, and so which side keeps its TIME_WAIT socket: what happens once the whole
 * line is written. A new mode is a new constant here.
 */
enum CloseMode {

	/**
	 * Write the line, then close: the classic server, whose port collects the TIME_WAIT sockets.
	 */
	SERVER_FIRST {

		@Override
		boolean lineWritten(Exchange exchange) {
			return exchange.end(null);
		}

	},

	/**
	 * Write the line, then wait for the client to close (up to {@code responder.client-close-timeout}): TIME_WAIT
	 * lands on the client, and the server's port stays clean.
	 */
	CLIENT_FIRST {

		@Override
		boolean lineWritten(Exchange exchange) {
			return false;
		}

	};

	/**
	 * Ends the exchange whose line is written, or leaves it to wait for the client's close: {@link PendingConnections}
	 * then ends it when the client closes, or at the client close timeout.
	 * @param exchange the exchange
	 * @return whether the exchange ended
	 */
	abstract boolean lineWritten(Exchange exchange);

	/**
	 * The name as configuration writes it.
	 * @return {@code server-first} or {@code client-first}
	 */
	String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * The name as configuration writes it: Spring Boot's report of a bad value lists the accepted ones by their
	 * {@code toString()}, and binding matches the constants leniently by name, whatever this answers.
	 * @return {@code server-first} or {@code client-first}
	 */
	@Override
	public String toString() {
		return value();
	}

}
