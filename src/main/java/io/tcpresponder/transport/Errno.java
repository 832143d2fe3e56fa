package io.tcpresponder.transport;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The errors a listener and its connections meet, by their Linux numbers (the generic ones of x86-64 and AArch64).
 *
 * <p>
 * A native call knows the number of every error; the JDK passes on only the C library's text, so for NIO the
 * error is recognized by that text, the only place where text is matched.
 */
public enum Errno {

	EPERM(1, "Operation not permitted"),

	EINTR(4, "Interrupted system call"),

	EBADF(9, "Bad file descriptor"),

	EAGAIN(11, "Resource temporarily unavailable"),

	ENOMEM(12, "Cannot allocate memory"),

	EACCES(13, "Permission denied"),

	EFAULT(14, "Bad address"),

	EINVAL(22, "Invalid argument"),

	ENFILE(23, "Too many open files in system"),

	EMFILE(24, "Too many open files"),

	EPIPE(32, "Broken pipe"),

	EPROTO(71, "Protocol error"),

	ENOTSOCK(88, "Socket operation on non-socket"),

	ENOPROTOOPT(92, "Protocol not available"),

	EPROTONOSUPPORT(93, "Protocol not supported"),

	EOPNOTSUPP(95, "Operation not supported"),

	EAFNOSUPPORT(97, "Address family not supported by protocol"),

	EADDRINUSE(98, "Address already in use"),

	EADDRNOTAVAIL(99, "Cannot assign requested address"),

	ENETDOWN(100, "Network is down"),

	ENETUNREACH(101, "Network is unreachable"),

	ECONNABORTED(103, "Software caused connection abort"),

	ECONNRESET(104, "Connection reset by peer"),

	ENOBUFS(105, "No buffer space available"),

	ENOTCONN(107, "Transport endpoint is not connected"),

	ETIMEDOUT(110, "Connection timed out"),

	ECONNREFUSED(111, "Connection refused"),

	EHOSTUNREACH(113, "No route to host");

	private static final Map<Integer, Errno> BY_NUMBER = new HashMap<>();

	private static final Map<String, Errno> BY_TEXT = new HashMap<>();

	static {
		for (Errno errno : values()) {
			BY_NUMBER.put(errno.number, errno);
			BY_TEXT.put(errno.text, errno);
		}
	}

	private final int number;

	private final String text;

	Errno(int number, String text) {
		this.number = number;
		this.text = text;
	}

	public int number() {
		return this.number;
	}

	public static @Nullable Errno of(int number) {
		return BY_NUMBER.get(number);
	}

	/**
	 * Recognizes an error in the JDK's message of an exception, which ends with the C library's text.
	 * @param message the message, such as {@code Bind failed: Address already in use}
	 * @return the error, or {@code null} if the text is not one of the table's
	 */
	public static @Nullable Errno ofJdkMessage(@Nullable String message) {
		if (message == null) {
			return null;
		}
		return BY_TEXT.get(message.substring(message.lastIndexOf(": ") + 1).strip());
	}

}
