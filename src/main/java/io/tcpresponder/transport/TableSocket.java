package io.tcpresponder.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * One socket of a {@link SocketTable}, as the kernel reports it; valid only while the visitor is told it.
 */
public interface TableSocket {

	/**
	 * The socket's TCP state as the kernel numbers it: 1 ESTABLISHED to 12 NEW_SYN_RECV, 6 TIME_WAIT, 10 LISTEN.
	 * @return the state's code
	 */
	int state();

	/**
	 * Whether the socket is an IPv6 one (an IPv4 client of a dual-stack listener too, with a mapped address).
	 * @return whether it is
	 */
	boolean ipv6();

	/**
	 * A 32-bit word of the local address, its bytes in network order (the first byte of the address is the word's
	 * highest): one word for IPv4, four for IPv6.
	 * @param index the word, 0 for IPv4
	 * @return the word
	 */
	int addressWord(int index);

	/**
	 * The local address, from its {@linkplain #addressWord words}.
	 * @return the address
	 */
	default InetAddress address() {
		int words = ipv6() ? 4 : 1;
		ByteBuffer bytes = ByteBuffer.allocate(4 * words);
		for (int i = 0; i < words; i++) {
			bytes.putInt(addressWord(i));
		}
		try {
			return InetAddress.getByAddress(bytes.array());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Which timer runs: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT (also FIN_WAIT2's), 4 zero window probe.
	 * @return the timer
	 */
	int timer();

	/**
	 * Milliseconds until the timer fires, as the kernel counts them from the clock tick it was in when it reported
	 * the socket, to the table's {@linkplain SocketTable#timerResolutionMillis() resolution}; 0 once it is due.
	 * @return the milliseconds
	 */
	long timerMillis();

	/**
	 * For a listener, the connections in its accept queue; otherwise the bytes received and not read.
	 * @return the queue
	 */
	long receiveQueue();

	/**
	 * For a listener, its accept queue limit where the table tells it, else -1; otherwise the bytes not yet
	 * acknowledged.
	 * @return the queue
	 */
	long sendQueue();

	/**
	 * Packets the kernel dropped on this socket (for a listener, the handshakes it dropped), where the table tells
	 * it, else -1.
	 * @return the drops
	 */
	long drops();

	/**
	 * The owner's uid (0 for a TIME_WAIT socket).
	 * @return the uid
	 */
	long uid();

	/**
	 * The socket's inode, 0 for a TIME_WAIT socket (which no process holds).
	 * @return the inode
	 */
	long inode();

}
