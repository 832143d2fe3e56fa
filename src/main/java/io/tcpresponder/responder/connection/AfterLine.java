package io.tcpresponder.responder.connection;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What follows the line on every connection, as a close mode asks for it: close at once, or wait for the client to
 * close its side (its end of stream) within a timeout, then close. {@link Exchange} and {@link PendingConnections}
 * carry it out without knowing the mode.
 *
 * @param clientCloseTimeout how long to wait for the client's end of stream, or {@code null} to close at once
 */
record AfterLine(@Nullable Duration clientCloseTimeout) {

	/** Close as soon as the line is written. */
	static final AfterLine CLOSE = new AfterLine(null);

	/**
	 * Wait for the client to close, then close; past the timeout, close anyway.
	 * @param timeout how long to wait
	 * @return what follows the line
	 */
	static AfterLine awaitClientClose(Duration timeout) {
		return new AfterLine(timeout);
	}

	boolean closesAtOnce() {
		return this.clientCloseTimeout == null;
	}

}
