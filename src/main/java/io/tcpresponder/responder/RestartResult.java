package io.tcpresponder.responder;

/**
 * What came of a restart: the new listener is bound, its bind failed, or the mode refused to start.
 */
sealed interface RestartResult {

	/**
	 * Whether a new listener is bound.
	 * @return {@code true} only for {@link Bound}
	 */
	default boolean bound() {
		return this instanceof Bound;
	}

	/**
	 * The new listener is bound.
	 */
	record Bound() implements RestartResult {
	}

	/**
	 * The new listener did not bind; the state tells whether the old one still listens.
	 *
	 * @param error why the bind failed
	 */
	record BindFailed(KernelError error) implements RestartResult {
	}

	/**
	 * The mode cannot replace the listener as the responder is; nothing changed.
	 *
	 * @param detail why, for the operator
	 */
	record Refused(String detail) implements RestartResult {
	}

}
