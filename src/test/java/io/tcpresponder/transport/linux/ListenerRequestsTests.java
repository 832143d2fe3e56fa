package io.tcpresponder.transport.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection requests a listener holds, as the kernel's socket tables show them, on real sockets.
 */
@EnabledOnOs(OS.LINUX)
class ListenerRequestsTests {

	private static final int IPPROTO_TCP = 6;

	private static final int TCP_DEFER_ACCEPT = 9;

	private final List<Socket> clients = new ArrayList<>();

	private int fd = -1;

	@AfterEach
	void close() throws IOException {
		for (Socket client : this.clients) {
			client.close();
		}
		if (this.fd >= 0) {
			NativeSocket.close(this.fd);
		}
	}

	@Test
	void aListenerWithNoConnectionHasNone() throws IOException {
		listen(false);
		assertThat(ListenerRequests.of(this.fd)).hasValue(0);
	}

	@Test
	void countsHandshakesInProgressAndConnectionsWaitingToBeAccepted() throws Throwable {
		// With TCP_DEFER_ACCEPT the kernel keeps a connection as a request of the listener until the client sends
		// data, although the client's connect has returned.
		int port = listen(true);
		for (int i = 0; i < 3; i++) {
			Socket client = new Socket();
			this.clients.add(client);
			client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
		}
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ListenerRequests.of(this.fd)).hasValue(3));
		// Data completes a handshake: the connection waits in the accept queue, still the listener's, until accepted.
		this.clients.get(0).getOutputStream().write('x');
		int accepted = NativeSocket.accept(this.fd, NativeSocket.peerRoom(java.lang.foreign.Arena.ofAuto()));
		NativeSocket.close(accepted);
		assertThat(ListenerRequests.of(this.fd)).hasValue(2);
	}

	@Test
	void aSocketThatDoesNotListenHasNoCount() throws IOException {
		this.fd = NativeSocket.socket(NativeSocket.AF_INET);
		assertThat(ListenerRequests.of(this.fd)).isEmpty();
		assertThat(ListenerRequests.of(Integer.MAX_VALUE)).as("no such descriptor").isEmpty();
	}

	private int listen(boolean deferAccept) throws IOException {
		this.fd = NativeSocket.socket(NativeSocket.AF_INET);
		if (deferAccept) {
			deferAccept(this.fd, 30);
		}
		NativeSocket.bind(this.fd, NativeSocket.AF_INET, InetAddress.getLoopbackAddress(), 0);
		NativeSocket.listen(this.fd, 8);
		return NativeSocket.localPort(this.fd);
	}

	private static void deferAccept(int fd, int seconds) {
		Linker linker = Linker.nativeLinker();
		MethodHandle setsockopt = linker.downcallHandle(linker.defaultLookup().findOrThrow("setsockopt"),
				FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment value = arena.allocate(JAVA_INT);
			value.set(JAVA_INT, 0, seconds);
			assertThat((int) setsockopt.invokeExact(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, value, (int) JAVA_INT.byteSize()))
				.isZero();
		}
		catch (Throwable ex) {
			throw new AssertionError(ex);
		}
	}

}
