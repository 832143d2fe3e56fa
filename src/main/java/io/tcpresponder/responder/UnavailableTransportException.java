package io.tcpresponder.responder;

/**
 * A transport cannot run here; the message says why.
 */
final class UnavailableTransportException extends RuntimeException {

	UnavailableTransportException(String reason) {
		super(reason);
	}

	UnavailableTransportException(String reason, Throwable cause) {
		super(reason, cause);
	}

}
