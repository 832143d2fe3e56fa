package io.tcpresponder.responder;

import java.io.IOException;
import java.time.Duration;

import io.tcpresponder.responder.connection.AccessLog;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.server.Responders;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.Clients;
import io.tcpresponder.transport.Transport;

/**
 * A responder alone in a process of its own, without Spring, for tests that watch a process from outside (strace):
 * prints {@code port N} once listening, serves until its standard input ends, then prints its counts and exits.
 *
 * <p>
 * Arguments: the transport ({@code auto}, {@code native} or {@code nio}); optionally {@code reuse-address-off}, for a
 * listener without SO_REUSEADDR.
 */
public final class ResponderProcess {

	private ResponderProcess() {
	}

	public static void main(String[] args) throws IOException {
		Transport transport = TransportChoice.valueOf(args[0].toUpperCase(java.util.Locale.ROOT)).load();
		boolean reuseAddress = !(args.length > 1 && args[1].equals("reuse-address-off"));
		TcpResponder responder = Responders.newResponder(transport,
				Responders.anyPort(SocketOptionsProperties.defaults().withBacklog(1024).withReuseAddress(reuseAddress)),
				Clients.LINE, CloseMode.SERVER_FIRST, Duration.ofSeconds(10), Duration.ofSeconds(5), false, AccessLog.OFF);
		responder.start();
		System.out.println("transport " + transport.name());
		System.out.println("port " + responder.settings().port());
		System.out.flush();
		while (System.in.read() != -1) {
			// until the parent closes our standard input
		}
		responder.stop(Duration.ofSeconds(5));
		ConnectionCounts.Snapshot counts = responder.connections().counts().snapshot();
		System.out.println("accepted " + counts.accepted() + " completed " + counts.completed() + " failed "
				+ counts.failed());
	}

}
