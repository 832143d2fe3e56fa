package io.tcpresponder.responder;

import java.net.InetSocketAddress;

/**
 * The responder's listener could not be bound.
 */
public class ResponderBindException extends RuntimeException {

	private final transient KernelError error;

	ResponderBindException(InetSocketAddress address, KernelError error, Throwable cause) {
		super("Unable to bind the TCP responder to " + address + ": " + error.code() + " (" + error.message() + ")",
				cause);
		this.error = error;
	}

	KernelError getError() {
		return this.error;
	}

}
