package io.tcpresponder.responder;

/**
 * The state of a TCP listener, and of the responder as a whole (see {@link ListenerStatus#of}).
 */
enum ResponderState {

	/** Binding a listener. */
	STARTING,

	/** Bound and accepting connections; for the responder as a whole, on every configured address. */
	LISTENING,

	/**
	 * The responder as a whole: some of its addresses are bound and accepting, and the others' bind failed; see each
	 * listener, and the first failed one's last error.
	 */
	PARTIALLY_LISTENING,

	/** Not listening: not started yet, or stopped. */
	STOPPED,

	/** The last bind failed; see the last error. For the responder as a whole: no address is bound. */
	FAILED

}
