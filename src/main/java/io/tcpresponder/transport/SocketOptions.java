package io.tcpresponder.transport;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The options a listening socket is bound with: the one record that the configuration, the listener settings, a
 * restart's body and {@code GET /actuator/responder} share. A new option is a new component here, its call in the
 * transports, and its property in the configuration's {@code SocketOptionsProperties}, where its default lives; a
 * restart's field, validation and the GET follow from the component.
 *
 * @param reuseAddress whether the listener sets SO_REUSEADDR, always explicitly, since the JDK turns it on by default
 * on Linux.
 * @param reusePort whether the listener sets SO_REUSEPORT, which a handover restart needs on the old and the new
 * listener.
 * @param ipv6Only whether an IPv6 listener sets IPV6_V6ONLY, taking IPv6 clients only so that :: and 0.0.0.0 can
 * share a port (off, :: is dual-stack; an IPv4 listener ignores the option).
 * @param backlog length of the listen (accept) queue passed to listen(2), which caps it at net.core.somaxconn.
 * @param acceptors threads that accept on each listener, each taking connections from the same accept queue; 0
 * follows the node: half the processors the JVM may use, at least one.
 */
public record SocketOptions(boolean reuseAddress, boolean reusePort, boolean ipv6Only,
		@Min(1) @Max(MAX_BACKLOG) int backlog, @Min(0) @Max(MAX_ACCEPTORS) int acceptors) {

	/** The largest backlog listen(2) takes in the 16 bits the kernel keeps it in. */
	public static final int MAX_BACKLOG = 65535;

	/** More accept threads than this on one listener only wait on each other. */
	public static final int MAX_ACCEPTORS = 64;

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
