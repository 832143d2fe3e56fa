package io.tcpresponder.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The line written to every client, in native memory, so that every transport writes it without a copy.
 *
 * @param buffer the line's bytes, a read-only direct buffer
 */
public record Line(ByteBuffer buffer) {

	/**
	 * Lines up to this size are written by one blocking write on the accept thread: it is below Linux's smallest
	 * send buffer, so on a new connection such a write returns at once, whatever the client does. Longer lines are
	 * written without waiting, and what is left waits for the connection's {@link Readiness}.
	 */
	public static final int INLINE_WRITE_LIMIT = 4096;

	/**
	 * The line of a message.
	 * @param message the message, written as UTF-8
	 * @return the line
	 */
	public static Line of(String message) {
		byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
		return new Line(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer());
	}

	/**
	 * The line's length in bytes.
	 * @return the length
	 */
	public int length() {
		return this.buffer.capacity();
	}

	/**
	 * Whether the line goes out in one blocking write on a new connection.
	 * @return whether it is at most {@link #INLINE_WRITE_LIMIT} bytes
	 */
	public boolean inline() {
		return length() <= INLINE_WRITE_LIMIT;
	}

}
