package io.tcpresponder.responder;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An error the kernel reported for a socket call, as its errno name and text.
 *
 * <p>
 * The JDK passes on only the kernel's text ({@code strerror}); the names of the errors a listener meets on Linux are
 * looked up from it. An error outside that table keeps the exception's type as its code.
 *
 * @param code the errno name, such as {@code EADDRINUSE}
 * @param message the kernel's text, such as {@code Address already in use}
 */
record KernelError(String code, String message) {

	private static final Map<String, String> CODES = Map.ofEntries(Map.entry("Address already in use", "EADDRINUSE"),
			Map.entry("Cannot assign requested address", "EADDRNOTAVAIL"), Map.entry("Permission denied", "EACCES"),
			Map.entry("Invalid argument", "EINVAL"), Map.entry("Too many open files", "EMFILE"),
			Map.entry("Too many open files in system", "ENFILE"), Map.entry("No buffer space available", "ENOBUFS"),
			Map.entry("Cannot allocate memory", "ENOMEM"), Map.entry("Connection reset by peer", "ECONNRESET"),
			Map.entry("Broken pipe", "EPIPE"), Map.entry("Connection timed out", "ETIMEDOUT"),
			Map.entry("Address family not supported by protocol", "EAFNOSUPPORT"),
			Map.entry("Protocol not available", "ENOPROTOOPT"), Map.entry("Bad file descriptor", "EBADF"));

	static KernelError of(Throwable ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		// The JDK may prefix the kernel's text ("Bind failed: Address already in use").
		String text = message.substring(message.lastIndexOf(": ") + 1).strip();
		String code = CODES.get(text);
		return (code != null) ? new KernelError(code, text) : new KernelError(ex.getClass().getSimpleName(), message);
	}

	static @Nullable String codeOf(Throwable ex) {
		return CODES.get(of(ex).message());
	}

}
