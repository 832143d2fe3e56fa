package io.tcpresponder.responder;

/**
 * The responder's listener could not be bound.
 */
public class ResponderBindException extends RuntimeException {

	private final transient ListenerSettings settings;

	private final transient KernelError error;

	ResponderBindException(ListenerSettings settings, KernelError error, Throwable cause) {
		super("Unable to start the TCP responder on " + settings.addressText() + " port " + settings.port() + ": "
				+ error.code() + " (" + error.message() + ")", cause);
		this.settings = settings;
		this.error = error;
	}

	ListenerSettings getSettings() {
		return this.settings;
	}

	KernelError getError() {
		return this.error;
	}

}
