package io.tcpresponder.transport.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.tcpresponder.transport.Connection;
import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.ErrnoException;
import io.tcpresponder.transport.Handover;
import io.tcpresponder.transport.Line;
import io.tcpresponder.transport.ListeningSocket;
import io.tcpresponder.transport.Readiness;
import io.tcpresponder.transport.SocketOptions;
import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.Transport;
import io.tcpresponder.transport.TransportUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * The native transport: Linux's socket calls through the Foreign Function and Memory API, as the C reference server
 * makes them. On the accept thread a connection costs {@code accept4}, {@code write} and {@code close}, and nothing
 * else; the connections whose line or close takes longer wait in an epoll set.
 */
public final class NativeTransport implements Transport {

	public static final String NAME = "native";

	private static final Set<String> ARCHITECTURES = Set.of("amd64", "aarch64");

	private static final long REQUESTS_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private NativeTransport() {
	}

	/**
	 * Loads the native transport.
	 * @return the transport
	 * @throws TransportUnavailableException if it cannot run here, saying why
	 */
	public static Transport load() {
		checkPlatform();
		try {
			// Links every call now, so that a missing one shows here rather than on the first connection.
			Class.forName(NativeSocket.class.getName(), true, NativeTransport.class.getClassLoader());
			Class.forName(NativeEpoll.class.getName(), true, NativeTransport.class.getClassLoader());
		}
		catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
			throw new TransportUnavailableException("the native calls could not be linked: " + ex, ex);
		}
		return new NativeTransport();
	}

	private static void checkPlatform() {
		String os = System.getProperty("os.name");
		String arch = System.getProperty("os.arch");
		if (!"linux".equals(os.toLowerCase(Locale.ROOT))) {
			throw new TransportUnavailableException("the native transport runs on Linux, not " + os);
		}
		if (!ARCHITECTURES.contains(arch)) {
			throw new TransportUnavailableException("the native transport runs on amd64 and aarch64, not " + arch);
		}
		if (!NativeTransport.class.getModule().isNativeAccessEnabled()) {
			throw new TransportUnavailableException("native access is not enabled: run the executable jar, or start the "
					+ "JVM with --enable-native-access=ALL-UNNAMED");
		}
	}

	/**
	 * Opens the kernel's socket table through sock_diag netlink, and reads it once to show that the kernel answers
	 * (a kernel without {@code inet_diag}, or a sandbox that forbids netlink, does not).
	 * @return the table
	 * @throws TransportUnavailableException if it cannot be read here, saying why
	 */
	public static SocketTable socketTable() {
		checkPlatform();
		SocketTable table;
		try {
			table = new SockDiag();
			table.forEach(0, (socket) -> {
			});
		}
		catch (IOException | LinkageError | RuntimeException ex) {
			throw new TransportUnavailableException("sock_diag netlink cannot be read: " + ex.getMessage(), ex);
		}
		return table;
	}

	/**
	 * The kernel's tick counter as {@code times(2)} tells it to any user, in clock ticks; read once to show that it
	 * answers.
	 * @return a reader of the clock ticks since boot
	 * @throws TransportUnavailableException if it cannot be read here, saying why
	 */
	public static LongSupplier clockTicks() {
		callable("times(2)", NativeClock::clockTicks);
		return () -> {
			try {
				return NativeClock.clockTicks();
			}
			catch (ErrnoException ex) {
				throw new IllegalStateException("times(2) failed", ex);
			}
		};
	}

	/**
	 * The clock ticks a second of {@link #clockTicks()}, {@code USER_HZ}.
	 * @return the clock ticks a second
	 * @throws TransportUnavailableException if it cannot be read here
	 */
	public static long clockTicksPerSecond() {
		return callable("sysconf(_SC_CLK_TCK)", NativeClock::clockTicksPerSecond);
	}

	/**
	 * The length of one kernel tick, the resolution of {@code CLOCK_MONOTONIC_COARSE}.
	 * @return the tick's nanoseconds
	 * @throws TransportUnavailableException if it cannot be read here
	 */
	public static long tickNanos() {
		return callable("clock_getres(2)", NativeClock::tickNanos);
	}

	/**
	 * Makes a call that any user may make, where this platform allows native calls at all.
	 * @throws TransportUnavailableException if it cannot be made here, naming the call
	 */
	private static long callable(String name, ClockCall call) {
		checkPlatform();
		try {
			return call.read();
		}
		catch (IOException | LinkageError | RuntimeException ex) {
			throw new TransportUnavailableException(name + " cannot be called: " + ex.getMessage(), ex);
		}
	}

	@FunctionalInterface
	private interface ClockCall {

		long read() throws IOException;

	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public ListeningSocket listen(SocketOptions options, @Nullable InetAddress address, int port) throws IOException {
		int family = Sockaddr.familyOf(address);
		int fd;
		try {
			fd = NativeSocket.socket(family);
		}
		catch (ErrnoException ex) {
			if (address != null || !ex.is(Errno.EAFNOSUPPORT)) {
				throw ex;
			}
			// No IPv6 on this host: every address is then every IPv4 address.
			family = NativeSocket.AF_INET;
			fd = NativeSocket.socket(family);
		}
		try {
			NativeSocket.setReuseAddress(fd, options.reuseAddress());
			if (options.reusePort()) {
				NativeSocket.setReusePort(fd, true);
			}
			if (family == NativeSocket.AF_INET6) {
				NativeSocket.setIpv6Only(fd, options.ipv6Only());
			}
			NativeSocket.bind(fd, family, address, port);
			NativeSocket.listen(fd, options.backlog());
			return new NativeListeningSocket(fd, NativeSocket.localPort(fd));
		}
		catch (ErrnoException ex) {
			NativeSocket.close(fd);
			throw ex;
		}
	}

	@Override
	public Readiness readiness() throws IOException {
		return new EpollReadiness();
	}

	private static final class NativeListeningSocket implements ListeningSocket {

		/** Each accept thread's room for the peer's address and its length, which accept4 fills. */
		private static final ThreadLocal<MemorySegment> PEER = ThreadLocal
			.withInitial(() -> NativeSocket.peerRoom(Arena.ofAuto()));

		private final int fd;

		private final int port;

		private volatile boolean shutdown;

		NativeListeningSocket(int fd, int port) {
			this.fd = fd;
			this.port = port;
		}

		@Override
		public int port() {
			return this.port;
		}

		@Override
		public @Nullable Connection accept() throws IOException {
			MemorySegment peer = PEER.get();
			while (true) {
				try {
					int connection = NativeSocket.accept(this.fd, peer);
					return new NativeConnection(connection, Sockaddr.toSocketAddress(peer));
				}
				catch (ErrnoException ex) {
					if (this.shutdown && ex.is(Errno.EINVAL)) {
						return null;
					}
					// A signal, or a connection reset while it waited in the queue: nothing to report.
					if (!ex.is(Errno.EINTR) && !ex.is(Errno.ECONNABORTED)) {
						throw ex;
					}
				}
			}
		}

		@Override
		public Handover handOverTo(ListeningSocket successor, Duration timeout) throws IOException {
			int group = ((NativeListeningSocket) successor).fd;
			ReuseportHandover.begin(group);
			long deadline = System.nanoTime() + timeout.toNanos();
			for (OptionalInt requests = ListenerRequests.of(this.fd); requests.orElse(0) > 0
					&& System.nanoTime() - deadline < 0; requests = ListenerRequests.of(this.fd)) {
				LockSupport.parkNanos(REQUESTS_POLL_NANOS);
			}
			return () -> ReuseportHandover.end(group);
		}

		@Override
		public void shutdown() {
			this.shutdown = true;
			try {
				NativeSocket.shutdownReceiving(this.fd);
			}
			catch (ErrnoException ex) {
				// Not listening any more (ENOTCONN): nothing is waiting in accept either.
			}
		}

		@Override
		public void close() {
			NativeSocket.close(this.fd);
		}

	}

	private static final class NativeConnection implements Connection {

		private final int fd;

		private final InetSocketAddress remote;

		NativeConnection(int fd, InetSocketAddress remote) {
			this.fd = fd;
			this.remote = remote;
		}

		@Override
		public InetSocketAddress remote() {
			return this.remote;
		}

		@Override
		public InetSocketAddress local() throws IOException {
			return NativeSocket.localAddress(this.fd);
		}

		@Override
		public int write(Line line, int offset) throws IOException {
			MemorySegment bytes = NativeLine.of(line);
			if (offset == 0 && line.inline()) {
				return NativeSocket.write(this.fd, bytes);
			}
			return NativeSocket.send(this.fd, bytes.asSlice(offset));
		}

		@Override
		public void close() {
			NativeSocket.close(this.fd);
		}

		@Override
		public void abort() {
			NativeSocket.abort(this.fd);
		}

	}

	private static final class EpollReadiness implements Readiness {

		private final NativeEpoll epoll = new NativeEpoll();

		private final MemorySegment discard = Arena.ofAuto().allocate(16 * 1024);

		EpollReadiness() throws ErrnoException {
		}

		@Override
		public void watch(Connection connection, boolean writable, Object attachment) throws IOException {
			this.epoll.watch(fd(connection),
					writable ? NativeEpoll.EPOLLOUT : (NativeEpoll.EPOLLIN | NativeEpoll.EPOLLRDHUP), attachment);
		}

		@Override
		public boolean watchReadableFromAnyThread(Connection connection) throws IOException {
			this.epoll.add(fd(connection), NativeEpoll.EPOLLIN | NativeEpoll.EPOLLRDHUP);
			return true;
		}

		@Override
		public void adopt(Connection connection, Object attachment) {
			this.epoll.adopt(fd(connection), attachment);
		}

		@Override
		public void forget(Connection connection) {
			this.epoll.forget(fd(connection));
		}

		@Override
		public void await(long timeoutMillis, Consumer<Object> ready) throws IOException {
			this.epoll.await((int) Math.min(Integer.MAX_VALUE, timeoutMillis), ready);
		}

		@Override
		public void wakeup() {
			this.epoll.wakeup();
		}

		@Override
		public boolean discardInput(Connection connection) throws IOException {
			for (int n; (n = NativeSocket.receive(fd(connection), this.discard)) != 0;) {
				if (n < 0) {
					return true;
				}
			}
			return false;
		}

		@Override
		public int read(Connection connection, byte[] into, int offset, int length) throws IOException {
			MemorySegment buffer = this.discard.asSlice(0, Math.min(length, this.discard.byteSize()));
			int read = NativeSocket.receive(fd(connection), buffer);
			if (read > 0) {
				MemorySegment.copy(this.discard, ValueLayout.JAVA_BYTE, 0, into, offset, read);
			}
			return read;
		}

		@Override
		public void close() {
			this.epoll.close();
		}

		private static int fd(Connection connection) {
			return ((NativeConnection) connection).fd;
		}

	}

}
