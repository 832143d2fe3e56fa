package io.tcpresponder.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports on loopback for programs a test starts that cannot be told to take port 0 and report the port they got.
 * Whatever can take port 0 should: a port found free here may be taken by another program before it is bound.
 */
public final class LocalPorts {

	private LocalPorts() {
	}

	/**
	 * Finds a port that is free on loopback now.
	 * @return the port
	 */
	public static int free() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
