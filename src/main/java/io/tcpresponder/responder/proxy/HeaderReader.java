package io.tcpresponder.responder.proxy;

import java.io.IOException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Reads one connection's PROXY protocol header as it arrives, on the thread that waits for its connections' bytes:
 * the version is told by the first bytes (the v2 signature, or v1's {@code PROXY }), and anything else is not a
 * header. Bytes after the header are the client's, which a server-first responder does not use.
 */
public final class HeaderReader {

	private byte[] bytes = new byte[TextHeader.MAX_LENGTH];

	private int length;

	/**
	 * Reads what has arrived, and the header if it is whole.
	 * @param source reads the connection's bytes without waiting
	 * @return the header, or {@code null} if more is to come
	 * @throws InvalidHeaderException if what arrived is not a header, or the stream ended before a whole one
	 * @throws IOException if reading fails
	 */
	public @Nullable ProxyHeader read(Source source) throws InvalidHeaderException, IOException {
		while (true) {
			int wanted = wanted();
			int read = source.read(this.bytes, this.length, wanted);
			if (read < 0) {
				throw new InvalidHeaderException("the stream ended after " + this.length + " bytes, before a whole header");
			}
			this.length += read;
			ProxyHeader header = parse();
			if (header != null || read < wanted) {
				return header;
			}
		}
	}

	/** How many bytes to read next: what fits, and for v2 no more than its declared length needs. */
	private int wanted() {
		if (isBinary()) {
			int total = BinaryHeader.length(this.bytes, this.length);
			if (total > this.bytes.length && total <= BinaryHeader.MAX_LENGTH) {
				this.bytes = Arrays.copyOf(this.bytes, total);
			}
			if (total > 0) {
				return Math.max(1, Math.min(total, this.bytes.length) - this.length);
			}
		}
		return Math.max(1, this.bytes.length - this.length);
	}

	private @Nullable ProxyHeader parse() throws InvalidHeaderException {
		if (this.length == 0) {
			return null;
		}
		if (isBinary()) {
			return BinaryHeader.parse(this.bytes, this.length);
		}
		if (startsWith(TextHeader.PREFIX)) {
			return TextHeader.parse(this.bytes, this.length);
		}
		throw new InvalidHeaderException("neither a v1 nor a v2 PROXY protocol header");
	}

	private boolean isBinary() {
		return this.length > 0 && startsWith(BinaryHeader.SIGNATURE);
	}

	/** Whether what arrived so far agrees with the prefix, as far as either goes. */
	private boolean startsWith(byte[] prefix) {
		int n = Math.min(this.length, prefix.length);
		return Arrays.equals(this.bytes, 0, n, prefix, 0, n);
	}

	/**
	 * Reads a connection's bytes as far as they are there, without waiting.
	 */
	@FunctionalInterface
	public interface Source {

		/**
		 * @param into where to read to
		 * @param offset where in it
		 * @param length how many bytes at most
		 * @return the bytes read, 0 if there is nothing now, -1 at the end of stream
		 * @throws IOException if reading fails
		 */
		int read(byte[] into, int offset, int length) throws IOException;

	}

}
