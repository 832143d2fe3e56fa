package io.tcpresponder.responder.server;

/**
 * Close every listener, then bind the new ones: the port refuses connections in between. The new settings stay,
 * whether the binds succeed or not.
 */
final class CloseThenBindRestart implements Restart {

	@Override
	public RestartResult replace(ListenerGroup listeners, ListenerSettings next) {
		listeners.closeAll();
		try {
			listeners.bind(next);
			return new RestartResult.Bound();
		}
		catch (ResponderBindException ex) {
			return RestartResult.failed(ex);
		}
	}

}
