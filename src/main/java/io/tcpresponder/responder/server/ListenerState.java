package io.tcpresponder.responder.server;

/**
 * The state of one listener.
 */
public enum ListenerState {

	/** Binding. */
	STARTING,

	/** Bound and accepting connections. */
	LISTENING,

	/** Not listening: not started yet, or stopped. */
	STOPPED,

	/** The last bind failed; see the last error. */
	FAILED

}
