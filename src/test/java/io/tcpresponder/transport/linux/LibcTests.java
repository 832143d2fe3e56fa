package io.tcpresponder.transport.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.ErrnoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The checked downcalls on real sockets: a failed call is an {@link ErrnoException} with the call, its errno and
 * the C library's text; an errno that means "not now" is no failure.
 */
@EnabledOnOs(OS.LINUX)
class LibcTests {

	@Test
	void aFailedCallNamesTheCallItsErrnoAndTheCLibrarysText() throws IOException {
		int first = listener(0);
		int second = NativeSocket.socket(NativeSocket.AF_INET);
		try {
			int port = NativeSocket.localPort(first);
			NativeSocket.setReuseAddress(second, false);
			assertThatExceptionOfType(ErrnoException.class)
				.isThrownBy(() -> NativeSocket.bind(second, NativeSocket.AF_INET, InetAddress.getLoopbackAddress(),
						port))
				.satisfies((ex) -> {
					assertThat(ex.call()).isEqualTo("bind");
					assertThat(ex.errno()).isEqualTo(Errno.EADDRINUSE.number());
					assertThat(ex.text()).isEqualTo("Address already in use");
				});
		}
		finally {
			NativeSocket.close(second);
			NativeSocket.close(first);
		}
	}

	@Test
	void textsComeFromTheCLibraryAndUnknownNumbersSaySo() {
		assertThat(Libc.strerror(Errno.ECONNRESET.number())).isEqualTo("Connection reset by peer");
		assertThat(Libc.strerror(Errno.EAGAIN.number())).isEqualTo("Resource temporarily unavailable");
		assertThat(Libc.strerror(4242)).isEqualTo("Unknown error 4242");
		assertThat(Libc.strerror(-1)).isEqualTo("Unknown error -1");
	}

	@Test
	void nothingToReadNowIsNoFailureAndTheEndOfStreamIsMinusOne() throws IOException {
		int listener = listener(0);
		try (Socket client = new Socket(); Arena arena = Arena.ofShared()) {
			client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), NativeSocket.localPort(listener)));
			MemorySegment peer = NativeSocket.peerRoom(arena);
			int connection = NativeSocket.accept(listener, peer);
			try {
				assertThat(Sockaddr.toSocketAddress(peer)).as("the client, as the kernel gave it at accept")
					.isEqualTo(client.getLocalSocketAddress());
				MemorySegment into = arena.allocate(16);
				assertThat(NativeSocket.receive(connection, into)).as("EAGAIN").isZero();
				client.getOutputStream().write('x');
				client.shutdownOutput();
				assertThat(await().until(() -> NativeSocket.receive(connection, into), (read) -> read != 0)).isOne();
				assertThat(into.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 'x');
				assertThat(await().until(() -> NativeSocket.receive(connection, into), (read) -> read != 0))
					.as("the end of stream")
					.isEqualTo(-1);
			}
			finally {
				NativeSocket.close(connection);
			}
		}
		finally {
			NativeSocket.close(listener);
		}
	}

	private static int listener(int port) throws ErrnoException {
		int fd = NativeSocket.socket(NativeSocket.AF_INET);
		NativeSocket.setReuseAddress(fd, false);
		NativeSocket.bind(fd, NativeSocket.AF_INET, InetAddress.getLoopbackAddress(), port);
		NativeSocket.listen(fd, 8);
		return fd;
	}

}
