package io.tcpresponder.responder;

import io.tcpresponder.transport.SocketOptions;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The listeners' socket options as configured, bound from the responder's own prefix ({@code responder.reuse-address}
 * and so on), with their defaults: the transport's {@link SocketOptions} record, which knows no framework, is made
 * from them.
 *
 * @param reuseAddress whether the listener sets SO_REUSEADDR, always explicitly, since the JDK turns it on by default
 * on Linux.
 * @param reusePort whether the listener sets SO_REUSEPORT, which a handover restart needs on the old and the new
 * listener.
 * @param ipv6Only whether an IPv6 listener sets IPV6_V6ONLY, taking IPv6 clients only so that :: and 0.0.0.0 can
 * share a port (off, :: is dual-stack; an IPv4 listener ignores the option).
 * @param backlog length of the listen (accept) queue passed to listen(2), which caps it at net.core.somaxconn; 511,
 * nginx's, Redis's and Node.js's, since a queue much shorter than the clients in flight drops their SYNs, and each
 * dropped SYN costs its client a second.
 * @param acceptors threads that accept on each listener, each taking connections from the same accept queue; 0
 * follows the node: half the processors the JVM may use, at least one (the other half serve the kernel's network
 * work, which the clients' packets bring).
 */
@ConfigurationProperties(SocketOptionsProperties.PREFIX)
public record SocketOptionsProperties(
		@DefaultValue("true") boolean reuseAddress,
		@DefaultValue("false") boolean reusePort,
		@DefaultValue("false") boolean ipv6Only,
		@DefaultValue("511") @Min(1) @Max(SocketOptions.MAX_BACKLOG) int backlog,
		@DefaultValue("0") @Min(0) @Max(SocketOptions.MAX_ACCEPTORS) int acceptors) {

	/** The responder's own prefix, as the other responder properties have it: {@code responder.reuse-address}. */
	static final String PREFIX = "responder";

	/**
	 * The options of a listener that the configuration leaves as they are.
	 * @return the defaults
	 */
	public static SocketOptions defaults() {
		return new Binder().bindOrCreate(PREFIX, Bindable.of(SocketOptionsProperties.class))
			.options();
	}

	SocketOptions options() {
		return new SocketOptions(this.reuseAddress, this.reusePort, this.ipv6Only, this.backlog, this.acceptors);
	}

}
