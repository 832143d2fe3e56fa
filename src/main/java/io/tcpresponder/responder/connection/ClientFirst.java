package io.tcpresponder.responder.connection;

import java.time.Duration;

/**
 * Write the line, then wait for the client to close (up to {@code responder.client-close-timeout}): TIME_WAIT lands
 * on the client, and the server's port stays clean.
 */
final class ClientFirst implements CloseBehaviour {

	@Override
	public AfterLine afterLine(Duration clientCloseTimeout) {
		return AfterLine.awaitClientClose(clientCloseTimeout);
	}

}
