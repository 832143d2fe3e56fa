package io.tcpresponder.responder.connection;

import java.util.Locale;

import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.KernelError;

/**
 * Why a connection did not get the whole line. A small fixed set, so that it can tag a meter.
 */
public enum FailureReason {

	/** The client reset the connection (ECONNRESET, EPIPE) before the line was written. */
	RESET,

	/** The client took no byte of the line for {@code responder.write-timeout}. */
	TIMEOUT,

	/** The responder stopped before the line was written within {@code responder.shutdown-timeout}. */
	SHUTDOWN,

	/** Any other I/O error. */
	ERROR,

	/** What the connection sent was not a whole PROXY protocol header where one is required. */
	PROXY_INVALID,

	/** No whole PROXY protocol header within {@code responder.proxy-protocol.header-timeout}. */
	PROXY_TIMEOUT;

	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	static FailureReason of(Throwable ex) {
		Errno errno = KernelError.errnoOf(ex);
		return (errno == Errno.ECONNRESET || errno == Errno.EPIPE) ? RESET : ERROR;
	}

}
