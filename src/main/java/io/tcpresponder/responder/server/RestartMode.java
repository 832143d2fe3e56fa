package io.tcpresponder.responder.server;

import org.jspecify.annotations.Nullable;

/**
 * The restart modes there are, each a {@link Restart} of its own, by the name a restart body's {@code mode} gives. A
 * new mode is a new class and a constant here.
 */
public enum RestartMode {

	/** {@link CloseThenBindRestart}, the default. */
	CLOSE_THEN_BIND("close-then-bind", new CloseThenBindRestart()),

	/** {@link HandoverRestart}: needs {@code responder.reuse-port: true}. */
	HANDOVER("handover", new HandoverRestart());

	private final String value;

	private final Restart restart;

	RestartMode(String value, Restart restart) {
		this.value = value;
		this.restart = restart;
	}

	/**
	 * The mode's name in a restart body.
	 * @return the name, such as {@code handover}
	 */
	public String value() {
		return this.value;
	}

	RestartResult replace(ListenerGroup listeners, ListenerSettings next) {
		return this.restart.replace(listeners, next);
	}

	@Nullable String refusal(ListenerGroup listeners, ListenerSettings next) {
		return this.restart.refusal(listeners, next);
	}

	/**
	 * The mode of a name.
	 * @param value the name, or {@code null} for {@link #CLOSE_THEN_BIND}
	 * @return the mode, or {@code null} if no mode has that name
	 */
	public static @Nullable RestartMode of(@Nullable String value) {
		if (value == null) {
			return CLOSE_THEN_BIND;
		}
		for (RestartMode mode : values()) {
			if (mode.value.equals(value)) {
				return mode;
			}
		}
		return null;
	}

}
