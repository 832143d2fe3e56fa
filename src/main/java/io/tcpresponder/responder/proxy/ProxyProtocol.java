package io.tcpresponder.responder.proxy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Whether connections start with a PROXY protocol header, as the accept threads apply it: with it on, a connection
 * from a trusted proxy (from any peer, where no proxy is named) must start with a header, waited for without holding
 * up an accept, and is served as the client the header names; a connection from any other peer is a direct client,
 * served at once. Whether a header is there is never guessed from the bytes. The configuration's
 * {@code responder.proxy-protocol.*} become this when the responder starts; a restart body changes it by name,
 * checked by the constraints here.
 *
 * @param enabled whether the PROXY protocol is on
 * @param trustedProxies the peers whose connections must start with a header; empty for every peer
 * @param headerTimeout how long a connection may take to send its whole header before it is closed
 */
public record ProxyProtocol(boolean enabled,
		@Size(max = ProxyProtocol.MAX_TRUSTED_PROXIES,
				message = "must be at most {max} addresses or blocks") List<AddressBlock> trustedProxies,
		@DurationMin(millis = 1) @DurationMax(minutes = 10) Duration headerTimeout) {

	/** Far more than the balancers in front of one service; a bound on the matching each connection costs. */
	public static final int MAX_TRUSTED_PROXIES = 64;

	/** The default wait for a header, the specification's suggestion. */
	public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(3);

	/** Off: every connection is served at once. */
	public static final ProxyProtocol OFF = new ProxyProtocol(false, List.of(), DEFAULT_HEADER_TIMEOUT);

	public ProxyProtocol {
		trustedProxies = List.copyOf(trustedProxies);
	}

	/**
	 * Whether a connection from the given peer must start with a header.
	 * @param peer the connection's peer address
	 * @return whether it must
	 */
	public boolean requiresHeader(InetAddress peer) {
		if (!this.enabled) {
			return false;
		}
		if (this.trustedProxies.isEmpty()) {
			return true;
		}
		for (AddressBlock block : this.trustedProxies) {
			if (block.contains(peer)) {
				return true;
			}
		}
		return false;
	}

	public ProxyProtocol withEnabled(boolean enabled) {
		return new ProxyProtocol(enabled, this.trustedProxies, this.headerTimeout);
	}

	public ProxyProtocol withTrustedProxies(List<AddressBlock> trustedProxies) {
		return new ProxyProtocol(this.enabled, trustedProxies, this.headerTimeout);
	}

	public ProxyProtocol withHeaderTimeout(Duration headerTimeout) {
		return new ProxyProtocol(this.enabled, this.trustedProxies, headerTimeout);
	}

	/**
	 * The setting as the log line says it.
	 * @return such as {@code PROXY protocol from 10.0.0.0/8 (header within 3s)} or {@code no PROXY protocol}
	 */
	public String describe() {
		if (!this.enabled) {
			return "no PROXY protocol";
		}
		String from = this.trustedProxies.isEmpty() ? "from every peer"
				: "from " + this.trustedProxies.stream().map(AddressBlock::toString).collect(Collectors.joining(", "));
		return "PROXY protocol " + from + " (header within " + this.headerTimeout.toMillis() + " ms)";
	}

}
