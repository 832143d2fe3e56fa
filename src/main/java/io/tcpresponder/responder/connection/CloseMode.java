package io.tcpresponder.responder.connection;

import java.time.Duration;
import java.util.Locale;

/**
 * Which side closes a connection first, and so which side keeps its TIME_WAIT socket ({@code responder.close-mode}):
 * the close modes there are, each a {@link CloseBehaviour} of its own. A new mode is a new class and a constant here.
 */
public enum CloseMode {

	/** {@link ServerFirst}. */
	SERVER_FIRST(new ServerFirst()),

	/** {@link ClientFirst}. */
	CLIENT_FIRST(new ClientFirst());

	private final CloseBehaviour behaviour;

	CloseMode(CloseBehaviour behaviour) {
		this.behaviour = behaviour;
	}

	/**
	 * What follows the line in this mode.
	 * @param clientCloseTimeout {@code responder.client-close-timeout}
	 * @return what follows the line
	 */
	AfterLine afterLine(Duration clientCloseTimeout) {
		return this.behaviour.afterLine(clientCloseTimeout);
	}

	/**
	 * The name as configuration writes it.
	 * @return such as {@code server-first}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * The name as configuration writes it: Spring Boot's report of a bad value lists the accepted ones by their
	 * {@code toString()}, and binding matches the constants leniently by name, whatever this answers.
	 * @return such as {@code server-first}
	 */
	@Override
	public String toString() {
		return value();
	}

}
