package io.tcpresponder.responder;

import java.util.Locale;
import java.util.function.Supplier;

import io.tcpresponder.transport.NioTransport;
import io.tcpresponder.transport.Transport;
import io.tcpresponder.transport.TransportUnavailableException;
import io.tcpresponder.transport.linux.NativeTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Which transport the responder runs on ({@code responder.transport}), and the transports there are: a new
 * transport is a new class and a constant here.
 */
public enum TransportChoice {

	/**
	 * The first transport that loads here, in the order of the constants below: native on Linux with native access,
	 * else NIO, with one log line saying why.
	 */
	AUTO(null),

	/**
	 * Linux's socket calls through the Foreign Function and Memory API; on Linux (amd64, aarch64) with native access.
	 */
	NATIVE(NativeTransport::load),

	/**
	 * The JDK's NIO channels; anywhere.
	 */
	NIO(NioTransport::load);

	private static final Log logger = LogFactory.getLog(TransportChoice.class);

	private final @Nullable Supplier<Transport> loader;

	TransportChoice(@Nullable Supplier<Transport> loader) {
		this.loader = loader;
	}

	/**
	 * Loads the chosen transport.
	 * @return the transport
	 * @throws TransportUnavailableException if a transport chosen by name cannot run here
	 */
	public Transport load() {
		if (this.loader != null) {
			try {
				return this.loader.get();
			}
			catch (TransportUnavailableException ex) {
				throw new TransportUnavailableException(
						"responder.transport is " + value() + ", which cannot run here: " + ex.getMessage(), ex);
			}
		}
		StringBuilder reasons = new StringBuilder();
		for (TransportChoice choice : values()) {
			if (choice.loader == null) {
				continue;
			}
			try {
				Transport transport = choice.loader.get();
				if (!reasons.isEmpty()) {
					logger.info("TCP responder on the " + transport.name() + " transport: " + reasons);
				}
				return transport;
			}
			catch (TransportUnavailableException ex) {
				reasons.append(reasons.isEmpty() ? "" : "; ").append(ex.getMessage());
			}
		}
		throw new TransportUnavailableException("No transport can run here: " + reasons);
	}

	/**
	 * The name as configuration writes it.
	 * @return {@code auto}, {@code native} or {@code nio}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return value();
	}

}
