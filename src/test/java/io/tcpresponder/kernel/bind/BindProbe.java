package io.tcpresponder.kernel.bind;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * Binds TCP listeners the way {@link BindRulesTests} does, in its own process too: as another instance of a server
 * would, or as another user.
 *
 * <p>
 * An IPv4 address is bound on an IPv4-only channel ({@code ServerSocketChannel.open(INET)}), an IPv6 one on NIO's
 * default channel, which is dual-stack: bound to {@code ::}, it covers every IPv4 address too. NIO cannot set
 * IPV6_V6ONLY.
 */
final class BindProbe {

	static final String BOUND = "bound";

	private static final int BACKLOG = 16;

	private BindProbe() {
	}

	/**
	 * Binds and listens, with both options set explicitly (the JDK turns SO_REUSEADDR on by default).
	 * @param address the local address and port
	 * @param reuseAddress SO_REUSEADDR
	 * @param reusePort SO_REUSEPORT
	 * @return the listener
	 * @throws IOException as bind throws it, {@code BindException} with the kernel's text
	 */
	static ServerSocketChannel listen(InetSocketAddress address, boolean reuseAddress, boolean reusePort)
			throws IOException {
		ServerSocketChannel channel = (address.getAddress() instanceof Inet4Address)
				? ServerSocketChannel.open(StandardProtocolFamily.INET) : ServerSocketChannel.open();
		try {
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
			channel.setOption(StandardSocketOptions.SO_REUSEPORT, reusePort);
			channel.bind(address, BACKLOG);
			return channel;
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * Binds one listener, prints {@value #BOUND} or the error's text, and exits.
	 * @param args the address (a literal), the port, SO_REUSEADDR and SO_REUSEPORT ({@code true} or
	 * {@code false})
	 */
	public static void main(String[] args) {
		InetSocketAddress address = new InetSocketAddress(InetAddress.ofLiteral(args[0]), Integer.parseInt(args[1]));
		try (ServerSocketChannel listener = listen(address, Boolean.parseBoolean(args[2]),
				Boolean.parseBoolean(args[3]))) {
			System.out.println(BOUND);
		}
		catch (IOException ex) {
			System.out.println(ex.getMessage());
		}
	}

}
