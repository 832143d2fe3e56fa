package io.tcpresponder.responder;

import java.io.IOException;

/**
 * A native call failed: the kernel's error number, with the call it came from.
 */
final class ErrnoException extends IOException {

	private final int errno;

	private final String call;

	ErrnoException(String call, int errno) {
		super(call + ": " + Libc.strerror(errno));
		this.call = call;
		this.errno = errno;
	}

	int errno() {
		return this.errno;
	}

	String call() {
		return this.call;
	}

	boolean is(Errno expected) {
		return this.errno == expected.number();
	}

	/**
	 * The error as the responder reports it: its name, number, the C library's text and the call.
	 * @return the kernel error
	 */
	KernelError toKernelError() {
		Errno known = Errno.of(this.errno);
		return new KernelError((known != null) ? known.name() : "UNKNOWN", this.errno, Libc.strerror(this.errno),
				this.call);
	}

}
