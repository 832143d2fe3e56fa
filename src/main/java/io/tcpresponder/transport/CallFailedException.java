package io.tcpresponder.transport;

import java.io.IOException;

/**
 * A step of opening a listening socket failed where the transport knows the call but not the error number: the
 * JDK's exception, with the call, which the JDK does not say.
 */
public final class CallFailedException extends IOException {

	private final String call;

	public CallFailedException(String call, IOException cause) {
		super(cause.getMessage(), cause);
		this.call = call;
	}

	public String call() {
		return this.call;
	}

}
