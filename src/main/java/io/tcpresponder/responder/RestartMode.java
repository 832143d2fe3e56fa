package io.tcpresponder.responder;

import org.jspecify.annotations.Nullable;

/**
 * How a restart replaces the listener. Each mode is one constant here, its name the value of a restart body's
 * {@code mode}; adding a mode means adding a constant, which is its only registration.
 */
enum RestartMode {

	/** Close every listener, then bind the new ones: the port refuses connections in between. */
	CLOSE_THEN_BIND("close-then-bind") {

		@Override
		RestartResult replace(TcpResponder.Replacement responder, ListenerSettings next) {
			responder.closeListeners();
			return responder.bind(next);
		}

	},

	/**
	 * Bind the new listeners beside the old ones with SO_REUSEPORT, then close the old ones, so that no address that
	 * stays ever stops accepting. Where the transport steers new connections to the new listener, the old one closes
	 * holding none; otherwise what is still in its accept queue moves to the new one only where the kernel migrates it
	 * ({@code net.ipv4.tcp_migrate_req = 1}), and is reset elsewhere. If a new listener cannot be bound, the old ones
	 * keep listening and the error is reported.
	 */
	HANDOVER("handover") {

		@Override
		RestartResult replace(TcpResponder.Replacement responder, ListenerSettings next) {
			ListenerSettings current = responder.settings();
			if (!responder.listening() || !current.reusePort() || !next.reusePort()) {
				return new RestartResult.Refused("A handover needs a listening responder with reusePort on, before "
						+ "and after (responder.reuse-port: true); it is " + responder.state() + " with reusePort "
						+ (current.reusePort() ? "on" : "off"));
			}
			return responder.bindBeside(next);
		}

	};

	private final String value;

	RestartMode(String value) {
		this.value = value;
	}

	/**
	 * The mode's name in a restart body.
	 * @return the name, such as {@code handover}
	 */
	String value() {
		return this.value;
	}

	/**
	 * Replaces the responder's listeners with those of the given settings; called with the responder's lifecycle held.
	 * @param responder the steps of a restart on the responder
	 * @param next the new settings
	 * @return what came of it
	 */
	abstract RestartResult replace(TcpResponder.Replacement responder, ListenerSettings next);

	/**
	 * The mode of a name.
	 * @param value the name, or {@code null} for {@link #CLOSE_THEN_BIND}
	 * @return the mode, or {@code null} if no mode has that name
	 */
	static @Nullable RestartMode of(@Nullable String value) {
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
