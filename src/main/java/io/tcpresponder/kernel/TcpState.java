package io.tcpresponder.kernel;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The TCP states the kernel reports for a port's sockets, with their codes in the {@code st} column of
 * {@code /proc/net/tcp} (from {@code include/net/tcp_states.h}). SYN_SENT and CLOSE are left out: a port that only
 * listens and accepts has no sockets in them.
 */
public enum TcpState {

	/** A listener. */
	LISTEN(0x0A),

	/** A connection in its handshake, waiting for the client's ACK. */
	SYN_RECV(0x03),

	/** An open connection. */
	ESTABLISHED(0x01),

	/** Closed by this side first; waiting for the peer to acknowledge the FIN. */
	FIN_WAIT1(0x04),

	/** Closed by this side first; waiting for the peer's FIN. */
	FIN_WAIT2(0x05),

	/** Closed by this side first and by both; held for 60 seconds so that late segments find it. */
	TIME_WAIT(0x06),

	/** Closed by the peer first; this side has not closed yet. */
	CLOSE_WAIT(0x08),

	/** Closed by the peer first and then by this side; waiting for the last ACK. */
	LAST_ACK(0x09),

	/** Both sides closed at once. */
	CLOSING(0x0B);

	private static final @Nullable TcpState[] BY_CODE = new TcpState[16];

	static {
		for (TcpState state : values()) {
			BY_CODE[state.code] = state;
		}
	}

	private final int code;

	TcpState(int code) {
		this.code = code;
	}

	/**
	 * The state as a meter tag value, such as {@code time_wait}.
	 * @return the lower-case name
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	static @Nullable TcpState ofCode(int code) {
		return (code >= 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
	}

}
