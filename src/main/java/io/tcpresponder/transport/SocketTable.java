package io.tcpresponder.transport;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The kernel's table of TCP sockets, read for one local port: what {@code ss -tan '( sport = :PORT )'} lists. Linux
 * has two sources, sock_diag netlink and the text of {@code /proc/net/tcp} and {@code tcp6}; they differ in how
 * finely they tell a timer and in what they tell of a listener, which {@link #listenerFigures()} and
 * {@link #timerResolutionMillis()} say.
 */
public interface SocketTable {

	/**
	 * Where the table is read from, as the log names it.
	 * @return {@code sock_diag} or {@code /proc/net/tcp}
	 */
	String name();

	/**
	 * How finely a socket's {@link TableSocket#timerMillis()} is told: the timer fires within this many milliseconds
	 * after the figure.
	 * @return the resolution in milliseconds
	 */
	int timerResolutionMillis();

	/**
	 * Whether a listener's accept queue limit and drops are told ({@link TableSocket#sendQueue()} and
	 * {@link TableSocket#drops()}).
	 * @return whether they are
	 */
	boolean listenerFigures();

	/**
	 * Hands each TCP socket whose local port is the given port, of every state and both address families, to the
	 * visitor. Calls from several threads are taken one at a time.
	 * @param port the local port
	 * @param visitor told each socket; the {@link TableSocket} is valid only during the call, and is reused
	 * @throws IOException if the table cannot be read
	 */
	void forEach(int port, Consumer<TableSocket> visitor) throws IOException;

}
