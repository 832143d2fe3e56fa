package io.tcpresponder.responder.server;

/**
 * The state of the responder as a whole, combined from its listeners' by {@link ResponderStatus#of}.
 */
public enum ResponderState {

	/** A listener is binding. */
	STARTING,

	/** Every configured address is bound and accepting. */
	LISTENING,

	/**
	 * Some of the addresses are bound and accepting, and the others' bind failed; see each listener, and the first
	 * failed one's last error.
	 */
	PARTIALLY_LISTENING,

	/** No listener: not started yet, or stopped. */
	STOPPED,

	/** No address is bound, and a bind failed; see the last error. */
	FAILED

}
