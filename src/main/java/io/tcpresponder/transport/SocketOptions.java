package io.tcpresponder.transport;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The options a listening socket is bound with: the one record that the configuration, the listener settings, a
 * restart's body and {@code GET /actuator/responder} share. A new option is a new component here, and its call in
 * the transports; configuration ({@code responder.*}), its IDE metadata, a restart's field, validation and the GET
 * follow from the component.
 *
 * @param reuseAddress whether the listener sets SO_REUSEADDR, always explicitly, since the JDK turns it on by default
 * on Linux.
 * @param reusePort whether the listener sets SO_REUSEPORT, which a handover restart needs on the old and the new
 * listener.
 * @param ipv6Only whether an IPv6 listener sets IPV6_V6ONLY, taking IPv6 clients only so that :: and 0.0.0.0 can
 * share a port (off, :: is dual-stack; an IPv4 listener ignores the option).
 * @param backlog length of the listen (accept) queue passed to listen(2), which caps it at net.core.somaxconn.
 * @param acceptors threads that accept on each listener, each taking connections from the same accept queue; 0
 * follows the node: half the processors the JVM may use, at least one (the other half serve the kernel's network
 * work, which the clients' packets bring).
 */
@ConfigurationProperties(SocketOptions.PREFIX)
public record SocketOptions(
		@DefaultValue("true") boolean reuseAddress,
		@DefaultValue("false") boolean reusePort,
		@DefaultValue("false") boolean ipv6Only,
		@DefaultValue("" + SocketOptions.DEFAULT_BACKLOG) @Min(1) @Max(65535) int backlog,
		@DefaultValue("0") @Min(0) @Max(SocketOptions.MAX_ACCEPTORS) int acceptors) {

	/** Bound from the responder's own prefix: {@code responder.reuse-address} and so on. */
	public static final String PREFIX = "responder";

	/**
	 * nginx's, Redis's and Node.js's: a queue much shorter than the clients in flight drops their SYNs, and each
	 * dropped SYN costs its client a second.
	 */
	static final int DEFAULT_BACKLOG = 511;

	/** More accept threads than this on one listener only wait on each other. */
	static final int MAX_ACCEPTORS = 64;

	/** The options of a listener that the configuration leaves as they are. */
	public static final SocketOptions DEFAULTS = new SocketOptions(true, false, false, DEFAULT_BACKLOG, 0);

	public SocketOptions {
		if (acceptors == 0) {
			acceptors = forTheNode();
		}
	}

	/**
	 * The acceptors that follow the node: half the processors this JVM may use (its CPU limit in a container), at
	 * least one.
	 * @return the number of acceptors
	 */
	public static int forTheNode() {
		return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
	}

	/**
	 * The options as the log line says them.
	 * @return such as {@code SO_REUSEADDR on, SO_REUSEPORT off, IPV6_V6ONLY off, backlog 511, 1 acceptor}
	 */
	public String describe() {
		return "SO_REUSEADDR " + onOff(this.reuseAddress) + ", SO_REUSEPORT " + onOff(this.reusePort)
				+ ", IPV6_V6ONLY " + onOff(this.ipv6Only) + ", backlog " + this.backlog + ", " + this.acceptors
				+ ((this.acceptors == 1) ? " acceptor" : " acceptors");
	}

	/**
	 * The same options with SO_REUSEADDR set as given.
	 * @param reuseAddress the SO_REUSEADDR option
	 * @return the options
	 */
	public SocketOptions withReuseAddress(boolean reuseAddress) {
		return new SocketOptions(reuseAddress, this.reusePort, this.ipv6Only, this.backlog, this.acceptors);
	}

	/**
	 * The same options with SO_REUSEPORT set as given.
	 * @param reusePort the SO_REUSEPORT option
	 * @return the options
	 */
	public SocketOptions withReusePort(boolean reusePort) {
		return new SocketOptions(this.reuseAddress, reusePort, this.ipv6Only, this.backlog, this.acceptors);
	}

	/**
	 * The same options with IPV6_V6ONLY set as given.
	 * @param ipv6Only the IPV6_V6ONLY option
	 * @return the options
	 */
	public SocketOptions withIpv6Only(boolean ipv6Only) {
		return new SocketOptions(this.reuseAddress, this.reusePort, ipv6Only, this.backlog, this.acceptors);
	}

	/**
	 * The same options with the given backlog.
	 * @param backlog the listen backlog
	 * @return the options
	 */
	public SocketOptions withBacklog(int backlog) {
		return new SocketOptions(this.reuseAddress, this.reusePort, this.ipv6Only, backlog, this.acceptors);
	}

	/**
	 * The same options with the given number of acceptors.
	 * @param acceptors the threads that accept on each listener, 0 to follow the node
	 * @return the options
	 */
	public SocketOptions withAcceptors(int acceptors) {
		return new SocketOptions(this.reuseAddress, this.reusePort, this.ipv6Only, this.backlog, acceptors);
	}

	private static String onOff(boolean on) {
		return on ? "on" : "off";
	}

}
