package io.tcpresponder.responder.connection;

import java.time.Duration;

/**
 * Write the line, then close: the classic server, whose port collects the TIME_WAIT sockets.
 */
final class ServerFirst implements CloseBehaviour {

	@Override
	public AfterLine afterLine(Duration clientCloseTimeout) {
		return AfterLine.CLOSE;
	}

}
