package io.tcpresponder.responder.server;

import org.jspecify.annotations.Nullable;

/**
 * Bind the new listeners beside the old ones with SO_REUSEPORT, then hand each address over to its new listener and
 * close the old one, so that no address that stays ever stops accepting. Where the transport directs new connections
 * to the new listener, the old one closes holding none; otherwise what is still in its accept queue moves to the new
 * one only where the kernel migrates it ({@code net.ipv4.tcp_migrate_req = 1}), and is reset elsewhere. If a new
 * listener cannot be bound, the old ones keep listening and the error is reported.
 */
final class HandoverRestart implements Restart {

	@Override
	public @Nullable String refusal(ListenerGroup listeners, ListenerSettings next) {
		boolean reusePort = listeners.settings().options().reusePort();
		if (!listeners.anyBound() || !reusePort || !next.options().reusePort()) {
			return "A handover needs a listening responder with reusePort on, before and after "
					+ "(responder.reuse-port: true); it is " + listeners.status().state() + " with reusePort "
					+ (reusePort ? "on" : "off");
		}
		return null;
	}

	@Override
	public RestartResult replace(ListenerGroup listeners, ListenerSettings next) {
		String refusal = refusal(listeners, next);
		if (refusal != null) {
			return new RestartResult.Refused(refusal);
		}
		ListenerGroup.Successors successors;
		try {
			successors = listeners.bindSuccessors(next);
		}
		catch (ResponderBindException ex) {
			return RestartResult.failed(ex);
		}
		listeners.handOverTo(successors);
		return new RestartResult.Bound();
	}

}
