package io.tcpresponder.transport;

import java.io.IOException;

/**
 * A socket call failed with an error number of the kernel: the number, the C library's text for it, and the call.
 */
public final class ErrnoException extends IOException {

	private final int errno;

	private final String call;

	private final String text;

	/**
	 * A failed call.
	 * @param call the call, such as {@code bind}
	 * @param errno the kernel's error number
	 * @param text the C library's text for the number, as {@code perror} prints it
	 */
	public ErrnoException(String call, int errno, String text) {
		super(call + ": " + text);
		this.call = call;
		this.errno = errno;
		this.text = text;
	}

	public int errno() {
		return this.errno;
	}

	public String call() {
		return this.call;
	}

	public String text() {
		return this.text;
	}

	public boolean is(Errno expected) {
		return this.errno == expected.number();
	}

}
