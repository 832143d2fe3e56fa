package io.tcpresponder.transport;

import org.jspecify.annotations.Nullable;

/**
 * An error the kernel reported for a socket call: its name, number and text, and the call that failed.
 *
 * <p>
 * From an {@link ErrnoException} every field is the kernel's own: the number with its name, the C library's text for
 * it, and the call. The JDK passes on only the text: the number is then the one of the error named by that text, and
 * the call is the step that failed, where the transport knows it ({@link CallFailedException}).
 *
 * @param code the errno name, such as {@code EADDRINUSE}; for an error that is not a known errno, the exception's type
 * @param errno the errno, such as 98, or {@code null} where it is not known
 * @param message the kernel's text, such as {@code Address already in use}
 * @param call the call that failed, such as {@code bind}, or {@code null} where it is not known
 */
public record KernelError(String code, @Nullable Integer errno, String message, @Nullable String call) {

	/**
	 * The error of a failed socket call.
	 * @param ex what the call threw
	 * @return the error
	 */
	public static KernelError of(Throwable ex) {
		if (ex instanceof ErrnoException failed) {
			Errno known = Errno.of(failed.errno());
			return new KernelError((known != null) ? known.name() : "UNKNOWN", failed.errno(), failed.text(),
					failed.call());
		}
		String call = (ex instanceof CallFailedException step) ? step.call() : null;
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
	 * The error as one of the table's errnos, for code to compare; {@link #code()} is its name for people.
	 * @return the errno, or {@code null} where the number is not known or not one of the table's
	 */
	public @Nullable Errno known() {
		return (this.errno != null) ? Errno.of(this.errno) : null;
	}

	/**
	 * Whether the error is the given errno.
	 * @param expected the errno
	 * @return whether it is
	 */
	public boolean is(Errno expected) {
		return known() == expected;
	}

	/**
	 * The errno of a failed socket call, from its number where the transport knows it.
	 * @param ex what the call threw
	 * @return the errno, or {@code null} if it is not one of the table's
	 */
	public static @Nullable Errno errnoOf(Throwable ex) {
		return (ex instanceof ErrnoException failed) ? Errno.of(failed.errno()) : Errno.ofJdkMessage(ex.getMessage());
	}

}
