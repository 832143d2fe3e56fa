package io.tcpresponder.kernel.bind;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import io.tcpresponder.kernel.Sysctl;
import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.JvmLaunch;
import io.tcpresponder.support.JvmProcess;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.support.Ports;
import io.tcpresponder.support.Tools;
import io.tcpresponder.transport.ErrnoException;
import io.tcpresponder.transport.ListeningSocket;
import io.tcpresponder.transport.linux.NativeTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.tcpresponder.kernel.bind.BindRulesTests.Outcome.BOUND;
import static io.tcpresponder.kernel.bind.BindRulesTests.Outcome.EADDRINUSE;
import static io.tcpresponder.kernel.bind.BindRulesTests.Outcome.EADDRNOTAVAIL;
import static io.tcpresponder.kernel.bind.BindRulesTests.Reuse.ADDRESS;
import static io.tcpresponder.kernel.bind.BindRulesTests.Reuse.ADDRESS_AND_PORT;
import static io.tcpresponder.kernel.bind.BindRulesTests.Reuse.NONE;
import static io.tcpresponder.kernel.bind.BindRulesTests.Reuse.PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * How this Linux kernel lets several TCP listeners share one port: the uses of SO_REUSEADDR that the tutorial
 * teaches after Stevens (UNIX Network Programming, vol. 1, 7.5), tried on real sockets. README's table "Several
 * sockets on one port" points to each test.
 *
 * <p>
 * Addresses are this machine's own: 127.0.0.0/8 (all of it local on Linux), {@code ::1} and the wildcards. IPv4
 * addresses are bound on IPv4-only channels, IPv6 ones on NIO's default, dual-stack channel (see {@link BindProbe}).
 * IPV6_V6ONLY, which NIO cannot set, is measured on the sockets of the native transport, as the responder binds them.
 * Each test takes a port nobody uses ({@link Ports#unused()}).
 */
@EnabledOnOs(OS.LINUX)
class BindRulesTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int CLIENTS = 3;

	private static final byte[] LINE = Clients.LINE.getBytes(StandardCharsets.UTF_8);

	private final List<Closeable> opened = new ArrayList<>();

	@BeforeEach
	void kernelCanBeAsked() {
		KernelSockets.assumeAvailable();
	}

	@AfterEach
	void close() throws IOException {
		for (Closeable closeable : this.opened.reversed()) {
			closeable.close();
		}
	}

	// Uses 2 and 3: several servers, or sockets of one server, each on another local address of one port.

	@ParameterizedTest
	@MethodSource
	void addressesThatDoNotOverlapShareAPortWhateverSoReuseAddr(String first, Reuse firstReuse, String second,
			Reuse secondReuse) throws IOException {
		int port = Ports.unused();
		assertThat(bind(first, port, firstReuse)).isEqualTo(BOUND);
		assertThat(bind(second, port, secondReuse)).isEqualTo(BOUND);
		assertThat(KernelSockets.count("listening", port)).isEqualTo(2);
	}

	static Stream<Arguments> addressesThatDoNotOverlapShareAPortWhateverSoReuseAddr() {
		return Stream.of(argumentSet("option off on both", "127.0.0.1", NONE, "127.0.0.2", NONE),
				argumentSet("option on the first only", "127.0.0.1", ADDRESS, "127.0.0.2", NONE),
				argumentSet("option on the second only", "127.0.0.1", NONE, "127.0.0.2", ADDRESS),
				argumentSet("option on both", "127.0.0.1", ADDRESS, "127.0.0.2", ADDRESS),
				argumentSet("IPv4 wildcard, then ::1", "0.0.0.0", NONE, "::1", NONE),
				argumentSet("::1, then the IPv4 wildcard", "::1", NONE, "0.0.0.0", NONE),
				argumentSet("127.0.0.1, then ::1", "127.0.0.1", NONE, "::1", NONE));
	}

	@Test
	void anotherProcessListensOnAnotherAddressOfThePort(@TempDir Path classes) throws Exception {
		int port = Ports.unused();
		assertThat(bind("127.0.0.1", port, NONE)).isEqualTo(BOUND);
		assertThat(bindInAnotherProcess(classes, List.of(), "127.0.0.2", port, NONE)).isEqualTo(BOUND);
		assertThat(bindInAnotherProcess(classes, List.of(), "127.0.0.1", port, ADDRESS)).isEqualTo(EADDRINUSE);
	}

	@Test
	void aClientReachesOnlyTheListenerOfTheAddressItConnectsTo() throws IOException {
		int port = Ports.unused();
		ServerSocketChannel first = listener("127.0.0.1", port, NONE);
		ServerSocketChannel second = listener("127.0.0.2", port, NONE);
		assertReaches("127.0.0.2", port, second, first);
		assertReaches("127.0.0.1", port, first, second);
		first.close();
		assertThatExceptionOfType(ConnectException.class).as("127.0.0.1 with a listener on 127.0.0.2 only")
			.isThrownBy(() -> connect("127.0.0.1", port))
			.withMessage(Outcome.ECONNREFUSED.text());
	}

	@ParameterizedTest
	@MethodSource
	void overlappingAddressesConflictEvenWithSoReuseAddrOnBoth(String first, String second) throws IOException {
		int port = Ports.unused();
		assertThat(bind(first, port, ADDRESS)).isEqualTo(BOUND);
		assertThat(bind(second, port, ADDRESS)).isEqualTo(EADDRINUSE);
		assertThat(KernelSockets.count("listening", port)).isOne();
	}

	static Stream<Arguments> overlappingAddressesConflictEvenWithSoReuseAddrOnBoth() {
		return Stream.of(argumentSet("IPv4 wildcard, then 127.0.0.1", "0.0.0.0", "127.0.0.1"),
				argumentSet("127.0.0.1, then the IPv4 wildcard", "127.0.0.1", "0.0.0.0"),
				argumentSet(":: (dual-stack), then the IPv4 wildcard", "::", "0.0.0.0"),
				argumentSet("IPv4 wildcard, then :: (dual-stack)", "0.0.0.0", "::"),
				argumentSet(":: (dual-stack), then 127.0.0.1", "::", "127.0.0.1"),
				argumentSet("127.0.0.1, then :: (dual-stack)", "127.0.0.1", "::"),
				argumentSet(":: (dual-stack), then ::1", "::", "::1"),
				argumentSet("::1, then :: (dual-stack)", "::1", "::"));
	}

	/**
	 * ipv6(7): with IPV6_V6ONLY an IPv6 socket covers IPv6 addresses only, so {@code ::} overlaps no IPv4 address;
	 * without it, {@code ::} is dual-stack and overlaps them all, whichever binds first.
	 */
	@ParameterizedTest
	@MethodSource
	void ipv6V6OnlyDecidesWhetherTheIpv6WildcardOverlapsIpv4Addresses(String first, String second, boolean ipv6Only,
			Outcome outcome) throws IOException {
		KernelSockets.assumeAvailable();
		int port = Ports.unused();
		assertThat(bindNative(first, port, ipv6Only)).isEqualTo(BOUND);
		assertThat(bindNative(second, port, ipv6Only)).isEqualTo(outcome);
		// ss writes a dual-stack :: as *, an IPv6-only one as [::].
		String ipv6Wildcard = (ipv6Only ? "[::]:" : "*:") + port;
		String ipv4 = (first.equals("::") ? second : first) + ":" + port;
		assertThat(KernelSockets.listening(port)).containsExactlyInAnyOrderElementsOf(
				(outcome == BOUND) ? List.of(ipv6Wildcard, ipv4) : List.of(first.equals("::") ? ipv6Wildcard : ipv4));
	}

	static Stream<Arguments> ipv6V6OnlyDecidesWhetherTheIpv6WildcardOverlapsIpv4Addresses() {
		return Stream.of(argumentSet(":: with IPV6_V6ONLY, then the IPv4 wildcard", "::", "0.0.0.0", true, BOUND),
				argumentSet("the IPv4 wildcard, then :: with IPV6_V6ONLY", "0.0.0.0", "::", true, BOUND),
				argumentSet(":: with IPV6_V6ONLY, then 127.0.0.1", "::", "127.0.0.1", true, BOUND),
				argumentSet(":: (dual-stack), then the IPv4 wildcard", "::", "0.0.0.0", false, EADDRINUSE),
				argumentSet("the IPv4 wildcard, then :: (dual-stack)", "0.0.0.0", "::", false, EADDRINUSE),
				argumentSet(":: (dual-stack), then 127.0.0.1", "::", "127.0.0.1", false, EADDRINUSE));
	}

	@Test
	void niosDefaultChannelBindsTheIpv4WildcardAsTheDualStackOne() throws IOException {
		assumeAddressIsLocal("::1");
		int port = Ports.unused();
		ServerSocketChannel defaultChannel = ServerSocketChannel.open();
		this.opened.add(defaultChannel);
		defaultChannel.setOption(StandardSocketOptions.SO_REUSEADDR, false);
		defaultChannel.bind(socketAddress("0.0.0.0", port));
		assertThat(defaultChannel.getLocalAddress()).isEqualTo(socketAddress("::", port));
		assertThat(bind("::1", port, NONE)).as("::1 beside it").isEqualTo(EADDRINUSE);
	}

	@Test
	void soReusePortOnBothLetsAWildcardAndASpecificListenerShareAPortAndTheSpecificOneWins() throws IOException {
		int port = Ports.unused();
		ServerSocketChannel wildcard = listener("0.0.0.0", port, PORT);
		ServerSocketChannel specific = listener("127.0.0.1", port, PORT);
		assertReaches("127.0.0.1", port, specific, wildcard);
		assertReaches("127.0.0.2", port, wildcard, specific);
	}

	// Use 4: completely duplicate binds, same address and port.

	@ParameterizedTest
	@MethodSource
	void anExactDuplicateIsRefusedUnlessBothSetSoReusePort(String address, Reuse first, Reuse second)
			throws IOException {
		int port = Ports.unused();
		assertThat(bind(address, port, first)).isEqualTo(BOUND);
		assertThat(bind(address, port, second)).isEqualTo(EADDRINUSE);
	}

	static Stream<Arguments> anExactDuplicateIsRefusedUnlessBothSetSoReusePort() {
		return Stream.of(argumentSet("SO_REUSEADDR on both", "127.0.0.1", ADDRESS, ADDRESS),
				argumentSet("SO_REUSEADDR on both, wildcard", "::", ADDRESS, ADDRESS),
				argumentSet("SO_REUSEPORT on the first only", "127.0.0.1", ADDRESS_AND_PORT, ADDRESS),
				argumentSet("SO_REUSEPORT on the second only", "127.0.0.1", ADDRESS, ADDRESS_AND_PORT));
	}

	@ParameterizedTest
	@MethodSource
	void soReusePortOnBothAllowsAnExactDuplicate(String address, Reuse reuse) throws IOException {
		int port = Ports.unused();
		ServerSocketChannel first = listener(address, port, reuse);
		ServerSocketChannel second = listener(address, port, reuse);
		assertThat(KernelSockets.count("listening", port)).isEqualTo(2);
		first.close();
		connect("127.0.0.1", port);
		assertThat(awaitAccepted(second).getLocalAddress()).isEqualTo(socketAddress("127.0.0.1", port));
	}

	static Stream<Arguments> soReusePortOnBothAllowsAnExactDuplicate() {
		return Stream.of(argumentSet("127.0.0.1, SO_REUSEADDR off", "127.0.0.1", PORT),
				argumentSet("127.0.0.1, SO_REUSEADDR on", "127.0.0.1", ADDRESS_AND_PORT),
				argumentSet(":: (dual-stack), as the handover restart binds", "::", ADDRESS_AND_PORT));
	}

	@Test
	void soReusePortDoesNotLetAnotherUserJoin(@TempDir Path classes) throws Exception {
		Assumptions.assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
				"only root can start a process as another user");
		Tools.assumeInstalled(Path.of("/usr/bin/setpriv"), "util-linux");
		List<String> asNobody = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
		int port = Ports.unused();
		assertThat(bind("127.0.0.1", port, ADDRESS_AND_PORT)).isEqualTo(BOUND);
		assertThat(bindInAnotherProcess(classes, asNobody, "127.0.0.1", port, ADDRESS_AND_PORT)).as("another user")
			.isEqualTo(EADDRINUSE);
		assertThat(bindInAnotherProcess(classes, asNobody, "127.0.0.2", port, ADDRESS_AND_PORT))
			.as("another user, another address")
			.isEqualTo(BOUND);
		assertThat(bindInAnotherProcess(classes, List.of(), "127.0.0.1", port, ADDRESS_AND_PORT)).as("the same user")
			.isEqualTo(BOUND);
	}

	// Uses 1 and 5: a new listener on a port that connections of an earlier listener still use.

	@ParameterizedTest
	@MethodSource
	void openConnectionsOfAnEarlierListenerBlockANewOneUnlessBothSetTheOption(Reuse old, String address,
			Reuse reuse, Outcome outcome) throws IOException {
		int port = Ports.unused();
		ServerSocketChannel earlier = listener("127.0.0.1", port, old);
		connect("127.0.0.1", port);
		awaitAccepted(earlier);
		earlier.close();
		assertThat(KernelSockets.count("established", port)).isOne();
		assertThat(bind(address, port, reuse)).isEqualTo(outcome);
	}

	static Stream<Arguments> openConnectionsOfAnEarlierListenerBlockANewOneUnlessBothSetTheOption() {
		return Stream.of(argumentSet("SO_REUSEADDR on both", ADDRESS, "127.0.0.1", ADDRESS, BOUND),
				argumentSet("SO_REUSEADDR on both, the wildcard", ADDRESS, "0.0.0.0", ADDRESS, BOUND),
				argumentSet("SO_REUSEADDR on the new listener only", NONE, "127.0.0.1", ADDRESS, EADDRINUSE),
				argumentSet("SO_REUSEADDR on the earlier listener only", ADDRESS, "127.0.0.1", NONE, EADDRINUSE),
				argumentSet("SO_REUSEPORT on both", PORT, "127.0.0.1", PORT, BOUND),
				argumentSet("another address, option off on both", NONE, "127.0.0.2", NONE, BOUND));
	}

	@ParameterizedTest
	@MethodSource
	void timeWaitOfOneAddressBlocksOnlyListenersThatOverlapIt(Reuse old, String address, Reuse reuse,
			Outcome outcome) throws IOException {
		int port = Ports.unused();
		leaveTimeWait("127.0.0.1", port, old);
		assertThat(bind(address, port, reuse)).isEqualTo(outcome);
	}

	static Stream<Arguments> timeWaitOfOneAddressBlocksOnlyListenersThatOverlapIt() {
		return Stream.of(argumentSet("another address, option off on both", NONE, "127.0.0.2", NONE, BOUND),
				argumentSet("another address, option on the new listener", NONE, "127.0.0.2", ADDRESS, BOUND),
				argumentSet("::1, option off on both", NONE, "::1", NONE, BOUND),
				argumentSet("the IPv4 wildcard, option on the earlier listener only", ADDRESS, "0.0.0.0", NONE,
						EADDRINUSE),
				argumentSet("the IPv4 wildcard, option on the new listener only", NONE, "0.0.0.0", ADDRESS,
						EADDRINUSE),
				argumentSet("the IPv4 wildcard, option on both", ADDRESS, "0.0.0.0", ADDRESS, BOUND),
				argumentSet(":: (dual-stack), option on the new listener only", NONE, "::", ADDRESS, EADDRINUSE),
				argumentSet(":: (dual-stack), option on both", ADDRESS, "::", ADDRESS, BOUND),
				argumentSet("the same address, SO_REUSEPORT on both, SO_REUSEADDR off", PORT, "127.0.0.1", PORT,
						BOUND),
				argumentSet("the IPv4 wildcard, SO_REUSEPORT on both, SO_REUSEADDR off", PORT, "0.0.0.0", PORT,
						BOUND),
				argumentSet(":: (dual-stack), SO_REUSEPORT on both, SO_REUSEADDR off", PORT, "::", PORT, BOUND),
				argumentSet("the same address, SO_REUSEPORT on the new listener only", ADDRESS, "127.0.0.1", PORT,
						EADDRINUSE));
	}

	// Not one of the five: what a list of addresses meets when one of them is wrong.

	@Test
	void anAddressTheHostDoesNotHaveIsRefusedWhateverTheOptions() throws IOException {
		// TEST-NET-2 (RFC 5737): documentation only, never routed. A bind sends nothing.
		InetAddress foreign = InetAddress.ofLiteral("198.51.100.7");
		Assumptions.assumeTrue(NetworkInterface.getByInetAddress(foreign) == null, "198.51.100.7 is local here");
		Assumptions.assumeTrue(Sysctl.read("net.ipv4.ip_nonlocal_bind").orElse(0) == 0,
				"net.ipv4.ip_nonlocal_bind lets any address bind");
		int port = Ports.unused();
		assertThat(bind("198.51.100.7", port, NONE)).isEqualTo(EADDRNOTAVAIL);
		assertThat(bind("198.51.100.7", port, ADDRESS_AND_PORT)).isEqualTo(EADDRNOTAVAIL);
	}

	/**
	 * Binds a listener that stays open until the test ends, or reports why the kernel refused it.
	 */
	private Outcome bind(String address, int port, Reuse reuse) throws IOException {
		assumeAddressIsLocal(address);
		try {
			this.opened.add(BindProbe.listen(socketAddress(address, port), reuse.address, reuse.port));
			return BOUND;
		}
		catch (BindException ex) {
			return Outcome.of(ex.getMessage());
		}
	}

	/**
	 * Binds a listener of the native transport, with SO_REUSEADDR on as the responder binds by default, that stays
	 * open until the test ends, or reports why the kernel refused it.
	 */
	private Outcome bindNative(String address, int port, boolean ipv6Only) throws IOException {
		assumeAddressIsLocal(address);
		try {
			ListeningSocket listener = NativeTransport.load()
				.listen(SocketOptionsProperties.defaults().withIpv6Only(ipv6Only), InetAddress.ofLiteral(address), port);
			this.opened.add(listener::close);
			return BOUND;
		}
		catch (ErrnoException ex) {
			return Outcome.of(ex.text());
		}
	}

	private ServerSocketChannel listener(String address, int port, Reuse reuse) throws IOException {
		assumeAddressIsLocal(address);
		ServerSocketChannel listener = BindProbe.listen(socketAddress(address, port), reuse.address, reuse.port);
		this.opened.add(listener);
		listener.configureBlocking(false);
		return listener;
	}

	private Outcome bindInAnotherProcess(Path classes, List<String> runAs, String address, int port, Reuse reuse)
			throws IOException {
		Path classFile = classes.resolve(BindProbe.class.getName().replace('.', '/') + ".class");
		if (!Files.exists(classFile)) {
			Files.createDirectories(classFile.getParent());
			try (InputStream bytes = BindProbe.class.getResourceAsStream(BindProbe.class.getSimpleName() + ".class")) {
				Files.copy(Objects.requireNonNull(bytes), classFile);
			}
			// Readable by another user too.
			for (Path path = classFile.getParent(); path.startsWith(classes); path = path.getParent()) {
				Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
			}
		}
		Path output = Files.createTempFile("bind-probe", ".out");
		// Its own class path, which another user can read: the test class path may not be.
		try (JvmProcess probe = JvmLaunch.mainClass(BindProbe.class)
			.prefix(runAs)
			.jvmOptions("-XX:TieredStopAtLevel=1", "-XX:-UsePerfData")
			.classPath(classes.toString())
			.arguments(address, String.valueOf(port), String.valueOf(reuse.address), String.valueOf(reuse.port))
			.log(output)
			.start()) {
			int exitCode = probe.awaitExit();
			List<String> lines = probe.log().lines().toList();
			assertThat(exitCode).as("the probe's exit status, output: %s", lines).isZero();
			assertThat(lines).as("the probe's output").isNotEmpty();
			return Outcome.of(lines.getLast());
		}
		finally {
			Files.delete(output);
		}
	}

	/**
	 * Serves a few clients on a listener that closes first, closes it, and waits until the kernel shows the TIME_WAIT
	 * sockets they left on the port.
	 */
	private void leaveTimeWait(String address, int port, Reuse reuse) throws IOException {
		try (ServerSocketChannel listener = BindProbe.listen(socketAddress(address, port), reuse.address,
				reuse.port)) {
			for (int i = 0; i < CLIENTS; i++) {
				try (Socket client = Clients.connect(InetAddress.ofLiteral(address), port)) {
					try (SocketChannel accepted = listener.accept()) {
						accepted.write(ByteBuffer.wrap(LINE));
					}
					assertThat(Clients.readAll(client.getInputStream()).toByteArray()).isEqualTo(LINE);
				}
			}
		}
		await().atMost(WAIT).until(() -> KernelSockets.count("time-wait", port) >= CLIENTS);
		assertThat(KernelSockets.count("listening", port)).isZero();
	}

	private void connect(String address, int port) throws IOException {
		this.opened.add(Clients.connect(InetAddress.ofLiteral(address), port));
	}

	private SocketChannel awaitAccepted(ServerSocketChannel listener) {
		SocketChannel accepted = await().atMost(WAIT).until(listener::accept, Objects::nonNull);
		this.opened.add(accepted);
		return accepted;
	}

	private static InetSocketAddress socketAddress(String address, int port) {
		return new InetSocketAddress(InetAddress.ofLiteral(address), port);
	}

	private static void assumeAddressIsLocal(String address) throws SocketException {
		if (address.equals("::") || address.equals("::1")) {
			// Without IPv6 on loopback, NIO's channels are IPv4 only and these cases mean nothing.
			Assumptions.assumeTrue(NetworkInterface.getByInetAddress(InetAddress.ofLiteral("::1")) != null,
					"no IPv6 on loopback");
		}
	}

	/**
	 * The options a listener sets, both explicitly.
	 */
	enum Reuse {

		NONE(false, false), ADDRESS(true, false), PORT(false, true), ADDRESS_AND_PORT(true, true);

		private final boolean address;

		private final boolean port;

		Reuse(boolean address, boolean port) {
			this.address = address;
			this.port = port;
		}

	}

	/**
	 * What a bind or connect came to: bound, or the kernel's errno, known by the text the JDK passes on.
	 */
	enum Outcome {

		BOUND(BindProbe.BOUND), EADDRINUSE("Address already in use"), EADDRNOTAVAIL("Cannot assign requested address"),
		ECONNREFUSED("Connection refused");

		private final String text;

		Outcome(String text) {
			this.text = text;
		}

		String text() {
			return this.text;
		}

		static Outcome of(String text) {
			return Arrays.stream(values())
				.filter((outcome) -> outcome.text.equals(text))
				.findFirst()
				.orElseThrow(() -> new AssertionError("Neither bound nor a known errno: " + text));
		}

	}

	/**
	 * A client that connects to the address is accepted by the one listener and not by the other.
	 */
	private void assertReaches(String address, int port, ServerSocketChannel accepting, ServerSocketChannel other)
			throws IOException {
		connect(address, port);
		assertThat(awaitAccepted(accepting).getLocalAddress()).isEqualTo(socketAddress(address, port));
		assertThat(other.accept()).isNull();
	}

}
