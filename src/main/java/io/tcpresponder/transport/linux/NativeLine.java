package io.tcpresponder.transport.linux;

import java.lang.foreign.MemorySegment;

import io.tcpresponder.transport.Line;
import org.jspecify.annotations.Nullable;

/**
 * The native memory of a line, as a segment for the write calls: made once per line, since a responder writes the
 * same line to every client.
 *
 * @param line the line
 * @param segment its bytes
 */
record NativeLine(Line line, MemorySegment segment) {

	private static volatile @Nullable NativeLine last;

	/**
	 * The segment of a line's bytes.
	 * @param line the line
	 * @return the segment, read-only
	 */
	static MemorySegment of(Line line) {
		NativeLine cached = last;
		if (cached == null || cached.line != line) {
			cached = new NativeLine(line, MemorySegment.ofBuffer(line.buffer()));
			last = cached;
		}
		return cached.segment;
	}

}
