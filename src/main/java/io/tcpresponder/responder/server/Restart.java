package io.tcpresponder.responder.server;

import org.jspecify.annotations.Nullable;

/**
 * How a restart replaces the listeners: the steps of a {@link ListenerGroup} it takes, in its order. One class per
 * mode, registered in {@link RestartMode}.
 */
interface Restart {

	/**
	 * Replaces the listeners with those of the given settings; called with the responder's lifecycle held.
	 * @param listeners the responder's listeners
	 * @param next the new settings
	 * @return what came of it
	 */
	RestartResult replace(ListenerGroup listeners, ListenerSettings next);

	/**
	 * Why the mode would refuse to replace the listeners as they are, before it binds anything.
	 * @param listeners the responder's listeners
	 * @param next the new settings
	 * @return the reason, for the operator, or {@code null} if the mode would go ahead
	 */
	default @Nullable String refusal(ListenerGroup listeners, ListenerSettings next) {
		return null;
	}

}
