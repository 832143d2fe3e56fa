package io.tcpresponder.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The portable transport on real sockets, as the contract promises it: a listener that accepts, a connection that takes
 * the line and ends with a clean close, and a refused bind that keeps the kernel's error for code to compare.
 */
class NioTransportTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private static final SocketOptions OPTIONS = new SocketOptions(true, false, false, 16, 1);

	private final Transport transport = NioTransport.load();

	@Test
	void aConnectionTakesTheLineAndThenTheEndOfStream() throws IOException {
		ListeningSocket listener = this.transport.listen(OPTIONS, LOOPBACK, 0);
		try (Socket client = new Socket(LOOPBACK, listener.port())) {
			Connection connection = listener.accept();
			assertThat(connection).isNotNull();
			assertThat(connection.remote().getPort()).isEqualTo(client.getLocalPort());
			Line line = Line.of("hello\n");
			assertThat(connection.write(line, 0)).isEqualTo(line.length());
			connection.close();
			InputStream in = client.getInputStream();
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
		}
		finally {
			listener.close();
		}
	}

	@Test
	void aBindOverAListenerKeepsTheKernelsErrorAsAnErrno() throws IOException {
		ListeningSocket first = this.transport.listen(OPTIONS, LOOPBACK, 0);
		try {
			Throwable refused = catchThrowable(() -> this.transport.listen(OPTIONS, LOOPBACK, first.port()).close());
			assertThat(refused).isInstanceOf(IOException.class);
			KernelError error = KernelError.of(refused);
			assertThat(error.known()).isEqualTo(Errno.EADDRINUSE);
			assertThat(error.is(Errno.EADDRINUSE)).isTrue();
			assertThat(error.is(Errno.EACCES)).isFalse();
			assertThat(error.code()).isEqualTo("EADDRINUSE");
			assertThat(error.errno()).isEqualTo(Errno.EADDRINUSE.number());
			assertThat(error.call()).isEqualTo("bind");
		}
		finally {
			first.close();
		}
	}

	@Test
	void anErrorOfNoKnownErrnoIsNoneOfThem() {
		KernelError error = KernelError.of(new IllegalStateException("not a socket error"));
		assertThat(error.known()).isNull();
		assertThat(error.is(Errno.EADDRINUSE)).isFalse();
		assertThat(error.code()).isEqualTo("IllegalStateException");
	}

}
