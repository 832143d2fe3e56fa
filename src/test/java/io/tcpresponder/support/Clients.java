package io.tcpresponder.support;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP clients as users run them: connect on loopback, read until the server closes, close.
 */
public final class Clients {

	/**
	 * The line the responder sends unless told otherwise: written here, not read from the application's settings, so
	 * that a changed default fails the tests that expect it.
	 */
	public static final String LINE = "I sent sth to client!\n";

	public static final int TIMEOUT_MILLIS = 10_000;

	private Clients() {
	}

	/**
	 * Connects, reads everything until end of stream, and closes.
	 * @param port the responder's port
	 * @return what the server sent
	 */
	public static String fetch(int port) {
		return fetch(InetAddress.ofLiteral("127.0.0.1"), port);
	}

	/**
	 * Connects to one address of the machine, such as {@code 127.0.0.2} or {@code ::1}, reads everything until end
	 * of stream, and closes.
	 * @param address the responder's address
	 * @param port the responder's port
	 * @return what the server sent
	 */
	public static String fetch(InetAddress address, int port) {
		try (Socket socket = connect(address, port)) {
			return readToEnd(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Connects, reads one line, and closes first, as a client of {@code client-first} mode does.
	 * @param port the responder's port
	 * @return the line, with its newline
	 */
	public static String fetchLineAndClose(int port) {
		try (Socket socket = connect(port)) {
			return readLine(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Connects from the given address, reads one line and resets the connection ({@link #reset}).
	 * @param from the client's local address, such as {@code 127.0.0.2}
	 * @param port the responder's port on 127.0.0.1
	 * @return the line, or {@code null} if the connection ended without it (reset, or refused by the kernel)
	 */
	public static String fetchLineAndReset(InetAddress from, int port) {
		try (Socket socket = connectFrom(from, port)) {
			String line = readLine(socket);
			reset(socket);
			return line;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Connects from the given address to the responder on 127.0.0.1, reads bounded by {@link #TIMEOUT_MILLIS}. A
	 * connection that the responder refuses may see its reset already as it connects: that socket is returned too.
	 * @param from the client's local address, such as {@code 127.0.0.2}
	 * @param port the responder's port
	 * @return the socket
	 * @throws IOException if it cannot connect for another reason
	 */
	public static Socket connectFrom(InetAddress from, int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.setSoTimeout(TIMEOUT_MILLIS);
			socket.bind(new InetSocketAddress(from, 0));
			socket.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port), TIMEOUT_MILLIS);
		}
		catch (SocketException ex) {
			if (!String.valueOf(ex.getMessage()).contains("reset")) {
				socket.close();
				throw ex;
			}
		}
		return socket;
	}

	/**
	 * Resets a client's connection (SO_LINGER 0, then close): no TIME_WAIT on either side, so that a test's many
	 * clients leave nothing behind that blocks a later bind on their address and port.
	 * @param socket the client
	 */
	public static void reset(Socket socket) {
		if (socket.isClosed()) {
			return;
		}
		try {
			socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// reset already
		}
		closeQuietly(socket);
	}

	/** Closes a client whatever closing says: its descriptor is released all the same. */
	private static void closeQuietly(Closeable client) {
		try {
			client.close();
		}
		catch (IOException ex) {
			// closed all the same
		}
	}

	/**
	 * Connects clients that neither read nor close, until they are closed together.
	 * @param port the port
	 * @param count how many clients
	 * @return the connected clients
	 * @throws IOException if a client cannot connect; those connected are closed
	 */
	public static Held hold(int port, int count) throws IOException {
		Held held = new Held();
		try {
			for (int i = 0; i < count; i++) {
				held.sockets.add(connect(port));
			}
		}
		catch (IOException ex) {
			held.close();
			throw ex;
		}
		return held;
	}

	/**
	 * Whether a connection ends, by a close or a reset, without a byte of the line.
	 * @param socket the client
	 * @return whether it does
	 */
	public static boolean endsWithoutALine(Socket socket) {
		try {
			return socket.getInputStream().read() == -1;
		}
		catch (IOException ex) {
			return true;
		}
	}

	public static String readLine(Socket socket) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		InputStream in = socket.getInputStream();
		for (int b; (b = in.read()) != -1;) {
			line.write(b);
			if (b == '\n') {
				break;
			}
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	public static Socket connect(int port) throws IOException {
		return connect(InetAddress.getByName("127.0.0.1"), port);
	}

	/**
	 * Connects to one address of the machine, such as {@code 127.0.0.2} or {@code ::1}.
	 * @param address the server's address
	 * @param port the server's port
	 * @return the connected socket, reads bounded by {@link #TIMEOUT_MILLIS}
	 * @throws IOException as the connect throws it ({@code Connection refused} where no listener has the address)
	 */
	public static Socket connect(InetAddress address, int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(address, port), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Starts connecting that many clients without waiting for their handshakes: each sends its SYN and no more, so
	 * that a listener whose accept queue is full drops the SYNs beyond it.
	 * @param address the server's address
	 * @param port the server's port
	 * @param count how many clients
	 * @return the clients, to be closed together
	 * @throws IOException if a client cannot be opened
	 */
	public static Connecting connectWithoutWaiting(InetAddress address, int port, int count) throws IOException {
		Connecting connecting = new Connecting();
		try {
			for (int i = 0; i < count; i++) {
				SocketChannel client = SocketChannel.open();
				connecting.channels.add(client);
				client.configureBlocking(false);
				client.connect(new InetSocketAddress(address, port));
			}
			return connecting;
		}
		catch (IOException ex) {
			connecting.close();
			throw ex;
		}
	}

	public static String readToEnd(Socket socket) throws IOException {
		return readAll(socket.getInputStream()).toString(StandardCharsets.UTF_8);
	}

	/**
	 * Reads until end of stream, keeping what came before an error.
	 * @param in the stream
	 * @return the bytes read
	 * @throws IOException as the stream throws it
	 */
	public static ByteArrayOutputStream readAll(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		for (int n; (n = in.read(buffer)) != -1;) {
			out.write(buffer, 0, n);
		}
		return out;
	}

	/**
	 * Connected clients, closed together.
	 */
	public static final class Held implements AutoCloseable {

		private final List<Socket> sockets = new ArrayList<>();

		private Held() {
		}

		public List<Socket> sockets() {
			return List.copyOf(this.sockets);
		}

		/**
		 * Closes every client, each whatever closing the others did.
		 */
		@Override
		public void close() {
			this.sockets.forEach(Clients::closeQuietly);
		}

	}

	/**
	 * Clients started by {@link #connectWithoutWaiting}, closed together.
	 */
	public static final class Connecting implements AutoCloseable {

		private final List<SocketChannel> channels = new ArrayList<>();

		private Connecting() {
		}

		@Override
		public void close() {
			this.channels.forEach(Clients::closeQuietly);
		}

	}

}
