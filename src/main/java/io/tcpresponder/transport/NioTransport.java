package io.tcpresponder.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The portable transport: the JDK's blocking {@link ServerSocketChannel}, and a {@link Selector} for the connections
 * whose line or close takes longer. It runs wherever Java does, without native access; on Linux, the JDK adds an
 * {@code fcntl} and two {@code getsockname} calls to every accept.
 */
public final class NioTransport implements Transport {

	public static final String NAME = "nio";

	private static final Log logger = LogFactory.getLog(NioTransport.class);

	private NioTransport() {
	}

	/**
	 * Loads the NIO transport, which runs wherever Java does.
	 * @return the transport
	 */
	public static Transport load() {
		return new NioTransport();
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Optional<UnsupportedOption> unsupported(SocketOptions options) {
		if (options.ipv6Only()) {
			// Neither StandardSocketOptions nor jdk.net.ExtendedSocketOptions has IPV6_V6ONLY: refused here, before
			// anything binds, rather than a listener silently dual-stack.
			return Optional.of(new UnsupportedOption("ipv6Only", true,
					"the JDK cannot set IPV6_V6ONLY, its IPv6 sockets are always dual-stack; "
							+ "the native transport (responder.transport: native, on Linux) can"));
		}
		return Optional.empty();
	}

	@Override
	public ListeningSocket listen(SocketOptions options, @Nullable InetAddress address, int port) throws IOException {
		ServerSocketChannel channel;
		try {
			// The JDK opens dual-stack (IPv6) sockets by default; an IPv4 address gets an IPv4 socket, as the native
			// transport opens it, so that 127.0.0.1 and ::1 can each have a listener on one port.
			channel = (address instanceof Inet4Address) ? ServerSocketChannel.open(StandardProtocolFamily.INET)
					: ServerSocketChannel.open();
		}
		catch (IOException ex) {
			throw new CallFailedException("socket", ex);
		}
		try {
			try {
				channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
				if (options.reusePort()) {
					channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
				}
			}
			catch (IOException ex) {
				throw new CallFailedException("setsockopt", ex);
			}
			try {
				channel.bind((address != null) ? new InetSocketAddress(address, port) : new InetSocketAddress(port),
						options.backlog());
			}
			catch (java.net.BindException ex) {
				throw new CallFailedException("bind", ex);
			}
			return new NioListeningSocket(channel, ((InetSocketAddress) channel.getLocalAddress()).getPort());
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(channel);
			throw ex;
		}
	}

	@Override
	public Readiness readiness() throws IOException {
		return new SelectorReadiness(Selector.open());
	}

	private static void closeQuietly(java.nio.channels.Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.debug("Closing a channel failed", ex);
		}
	}

	private static final class NioListeningSocket implements ListeningSocket {

		private final ServerSocketChannel channel;

		private final int port;

		NioListeningSocket(ServerSocketChannel channel, int port) {
			this.channel = channel;
			this.port = port;
		}

		@Override
		public int port() {
			return this.port;
		}

		@Override
		public @Nullable Connection accept() throws IOException {
			try {
				return new NioConnection(this.channel.accept());
			}
			catch (ClosedChannelException ex) {
				// closed by shutdown(), also while waiting (AsynchronousCloseException)
				return null;
			}
		}

		@Override
		public void shutdown() {
			// Closing a channel wakes the thread blocked in accept (the JDK signals it).
			closeQuietly(this.channel);
		}

		@Override
		public void close() {
			closeQuietly(this.channel);
		}

	}

	private static final class NioConnection implements Connection {

		private final SocketChannel channel;

		private @Nullable SelectionKey key;

		private final InetSocketAddress remote;

		/**
		 * @param channel a channel just accepted, whose remote address the JDK keeps from the accept: no system call
		 */
		NioConnection(SocketChannel channel) throws IOException {
			this.channel = channel;
			this.remote = (InetSocketAddress) channel.getRemoteAddress();
		}

		@Override
		public InetSocketAddress remote() {
			return this.remote;
		}

		@Override
		public InetSocketAddress local() throws IOException {
			return (InetSocketAddress) this.channel.getLocalAddress();
		}

		@Override
		public int write(Line line, int offset) throws IOException {
			ByteBuffer rest = line.buffer().duplicate().position(offset);
			if (rest.remaining() > Line.INLINE_WRITE_LIMIT && this.channel.isBlocking()) {
				this.channel.configureBlocking(false);
			}
			return this.channel.write(rest);
		}

		@Override
		public void close() {
			closeQuietly(this.channel);
		}

		@Override
		public void abort() {
			try {
				this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
			}
			catch (IOException ex) {
				// Already reset or closed: closing is all that is left.
			}
			close();
		}

	}

	private static final class SelectorReadiness implements Readiness {

		private final Selector selector;

		private final ByteBuffer discard = ByteBuffer.allocateDirect(16 * 1024);

		SelectorReadiness(Selector selector) {
			this.selector = selector;
		}

		@Override
		public void watch(Connection connection, boolean writable, Object attachment) throws IOException {
			NioConnection nio = (NioConnection) connection;
			int ops = writable ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
			if (nio.key == null) {
				nio.channel.configureBlocking(false);
				nio.key = nio.channel.register(this.selector, ops, attachment);
			}
			else {
				nio.key.interestOps(ops);
				nio.key.attach(attachment);
			}
		}

		@Override
		public void forget(Connection connection) {
			NioConnection nio = (NioConnection) connection;
			if (nio.key != null) {
				nio.key.cancel();
			}
		}

		@Override
		public void await(long timeoutMillis, Consumer<Object> ready) throws IOException {
			if (timeoutMillis > 0) {
				this.selector.select((key) -> ready.accept(key.attachment()), timeoutMillis);
			}
			else {
				this.selector.selectNow((key) -> ready.accept(key.attachment()));
			}
		}

		@Override
		public void wakeup() {
			this.selector.wakeup();
		}

		@Override
		public boolean discardInput(Connection connection) throws IOException {
			SocketChannel channel = ((NioConnection) connection).channel;
			for (int n; (n = channel.read(this.discard.clear())) != 0;) {
				if (n < 0) {
					return true;
				}
			}
			return false;
		}

		@Override
		public int read(Connection connection, byte[] into, int offset, int length) throws IOException {
			return ((NioConnection) connection).channel.read(ByteBuffer.wrap(into, offset, length));
		}

		@Override
		public void close() {
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				logger.debug("Closing a selector failed", ex);
			}
		}

	}

}
