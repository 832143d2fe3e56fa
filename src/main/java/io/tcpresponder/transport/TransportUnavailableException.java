package io.tcpresponder.transport;

/**
 * A transport cannot run here; the message says why.
 */
public final class TransportUnavailableException extends RuntimeException {

	public TransportUnavailableException(String reason) {
		super(reason);
	}

	public TransportUnavailableException(String reason, Throwable cause) {
		super(reason, cause);
	}

}
