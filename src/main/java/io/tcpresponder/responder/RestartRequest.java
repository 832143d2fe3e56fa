package io.tcpresponder.responder;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The optional changes a restart asks for, checked strictly: values of the wrong type or out of range are refused
 * with a message that names the field, before anything changes.
 *
 * @param reuseAddress the new SO_REUSEADDR option, or {@code null} to keep it
 * @param port the new port, or {@code null} to keep it
 * @param backlog the new listen backlog, or {@code null} to keep it
 */
record RestartRequest(@Nullable Boolean reuseAddress, @Nullable Integer port, @Nullable Integer backlog) {

	/** The fields a restart body may have. */
	static final List<String> FIELDS = List.of("reuseAddress", "port", "backlog");

	/**
	 * Reads the values of a restart body. Actuator hands them over as text, JSON numbers and booleans alike.
	 * @param reuseAddress {@code true}, {@code false}, or {@code null}
	 * @param port an integer from 1 to 65535, or {@code null}
	 * @param backlog an integer from 1 to 65535, or {@code null}
	 * @return the request
	 * @throws InvalidFieldException if a value is of the wrong type or out of range
	 */
	static RestartRequest of(@Nullable String reuseAddress, @Nullable String port, @Nullable String backlog) {
		return new RestartRequest(bool("reuseAddress", reuseAddress), integer("port", port, 1, 65535),
				integer("backlog", backlog, 1, 65535));
	}

	private static @Nullable Boolean bool(String field, @Nullable String value) {
		if (value == null) {
			return null;
		}
		return switch (value) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new InvalidFieldException(field, "must be true or false", value);
		};
	}

	private static @Nullable Integer integer(String field, @Nullable String value, int min, int max) {
		if (value == null) {
			return null;
		}
		try {
			int number = Integer.parseInt(value);
			if (number >= min && number <= max) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// Refused below, as any other value out of range.
		}
		throw new InvalidFieldException(field, "must be an integer from " + min + " to " + max, value);
	}

	ListenerSettings applyTo(ListenerSettings settings) {
		return new ListenerSettings(settings.address(), (this.port != null) ? this.port : settings.port(),
				(this.reuseAddress != null) ? this.reuseAddress : settings.reuseAddress(),
				(this.backlog != null) ? this.backlog : settings.backlog());
	}

	/**
	 * A field of a restart body that cannot be taken.
	 */
	static class InvalidFieldException extends IllegalArgumentException {

		private final String field;

		InvalidFieldException(String field, String expectation, String value) {
			super(field + " " + expectation + ", got \"" + value + "\"");
			this.field = field;
		}

		String getField() {
			return this.field;
		}

	}

}
