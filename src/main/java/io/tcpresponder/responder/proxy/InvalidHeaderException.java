package io.tcpresponder.responder.proxy;

/**
 * Thrown when what a connection sent is not a whole PROXY protocol header where one is required: the connection is
 * closed without the line.
 */
public final class InvalidHeaderException extends Exception {

	private static final long serialVersionUID = 1L;

	InvalidHeaderException(String message) {
		super(message, null, false, false);
	}

}
