package io.tcpresponder.responder;

import org.jspecify.annotations.Nullable;

/**
 * An error the kernel reported for a socket call: its name, number and text, and the call that failed.
 *
 * <p>
 * From the native transport every field is the kernel's own: the number with its name, the C library's text for it
 * ({@code strerror}), and the call. NIO passes on only the text: the number is then the one of the error named by
 * that text, and the call is the step that failed, where the responder knows it.
 *
 * @param code the errno name, such as {@code EADDRINUSE}; for an error that is not a known errno, the exception's type
 * @param errno the errno, such as 98, or {@code null} where it is not known
 * @param message the kernel's text, such as {@code Address already in use}
 * @param call the call that failed, such as {@code bind}, or {@code null} where it is not known
 */
record KernelError(String code, @Nullable Integer errno, String message, @Nullable String call) {

	/**
	 * The error of a failed socket call.
	 * @param ex what the call threw
	 * @return the error
	 */
	static KernelError of(Throwable ex) {
		if (ex instanceof ErrnoException errno) {
			return errno.toKernelError();
		}
		String call = (ex instanceof NioTransport.StepFailedException step) ? step.call() : null;
		Errno known = Errno.ofJdkMessage(ex.getMessage());
		if (known != null) {
			String message = ex.getMessage();
			return new KernelError(known.name(), known.number(), message.substring(message.lastIndexOf(": ") + 1).strip(),
					call);
		}
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		return new KernelError(ex.getClass().getSimpleName(), null, message, call);
	}

	/**
	 * The errno of a failed socket call, from its number where the transport knows it.
	 * @param ex what the call threw
	 * @return the errno, or {@code null} if it is not one of the table's
	 */
	static @Nullable Errno errnoOf(Throwable ex) {
		return (ex instanceof ErrnoException errno) ? Errno.of(errno.errno()) : Errno.ofJdkMessage(ex.getMessage());
	}

}
