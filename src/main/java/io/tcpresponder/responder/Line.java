package io.tcpresponder.responder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The line written to every client, in native memory, so that every transport writes it without a copy: the native
 * one by its address, NIO by a direct buffer over the same bytes.
 *
 * @param segment the line's bytes, never written after creation
 * @param buffer the same bytes as a read-only direct buffer
 */
record Line(MemorySegment segment, ByteBuffer buffer) {

	static Line of(String message) {
		byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
		MemorySegment segment = Arena.ofAuto().allocate(bytes.length);
		MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
		return new Line(segment, segment.asByteBuffer().asReadOnlyBuffer());
	}

	int length() {
		return this.buffer.capacity();
	}

}
