package io.tcpresponder.responder;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The optional changes a restart asks for, checked strictly: values of the wrong type or out of range are refused
 * with a message that names the field, before anything changes.
 *
 * @param mode how the listener is replaced
 * @param reuseAddress the new SO_REUSEADDR option, or {@code null} to keep it
 * @param reusePort the new SO_REUSEPORT option, or {@code null} to keep it
 * @param port the new port, or {@code null} to keep it
 * @param backlog the new listen backlog, or {@code null} to keep it
 */
record RestartRequest(Mode mode, @Nullable Boolean reuseAddress, @Nullable Boolean reusePort, @Nullable Integer port,
		@Nullable Integer backlog) {

	/** The fields a restart body may have, in order, with their JSON types. */
	static final Map<String, String> JSON_TYPES = jsonTypes();

	/** The fields a restart body may have. */
	static final List<String> FIELDS = List.copyOf(JSON_TYPES.keySet());

	private static Map<String, String> jsonTypes() {
		Map<String, String> types = new LinkedHashMap<>();
		types.put("mode", "string");
		types.put("reuseAddress", "boolean");
		types.put("reusePort", "boolean");
		types.put("port", "integer");
		types.put("backlog", "integer");
		return Collections.unmodifiableMap(types);
	}

	/**
	 * Reads the values of a restart body. Actuator hands them over as text, JSON numbers and booleans alike.
	 * @param mode {@code close-then-bind}, {@code handover}, or {@code null} for the former
	 * @param reuseAddress {@code true}, {@code false}, or {@code null}
	 * @param reusePort {@code true}, {@code false}, or {@code null}
	 * @param port an integer from 1 to 65535, or {@code null}
	 * @param backlog an integer from 1 to 65535, or {@code null}
	 * @return the request
	 * @throws RefusedException if a value is of the wrong type or out of range
	 */
	static RestartRequest of(@Nullable String mode, @Nullable String reuseAddress, @Nullable String reusePort,
			@Nullable String port, @Nullable String backlog) {
		return new RestartRequest(Mode.of(mode), bool("reuseAddress", reuseAddress), bool("reusePort", reusePort),
				integer("port", port, 1, 65535), integer("backlog", backlog, 1, 65535));
	}

	private static @Nullable Boolean bool(String field, @Nullable String value) {
		if (value == null) {
			return null;
		}
		return switch (value) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new RefusedException(field, "must be true or false", value);
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
		throw new RefusedException(field, "must be an integer from " + min + " to " + max, value);
	}

	ListenerSettings applyTo(ListenerSettings settings) {
		return new ListenerSettings(settings.address(), (this.port != null) ? this.port : settings.port(),
				(this.reuseAddress != null) ? this.reuseAddress : settings.reuseAddress(),
				(this.reusePort != null) ? this.reusePort : settings.reusePort(),
				(this.backlog != null) ? this.backlog : settings.backlog());
	}

	/**
	 * How a restart replaces the listener.
	 */
	enum Mode {

		/** Close the listener, then bind a new one: the port refuses connections in between. */
		CLOSE_THEN_BIND("close-then-bind"),

		/** Bind the new listener beside the old one with SO_REUSEPORT, then close the old one. */
		HANDOVER("handover");

		private final String value;

		Mode(String value) {
			this.value = value;
		}

		static Mode of(@Nullable String value) {
			if (value == null) {
				return CLOSE_THEN_BIND;
			}
			for (Mode mode : values()) {
				if (mode.value.equals(value)) {
					return mode;
				}
			}
			throw new RefusedException("mode", "must be close-then-bind or handover", value);
		}

	}

	/**
	 * A restart refused before anything changed, as a 400 problem that names the field or query parameter at fault, or
	 * none where the body as a whole is.
	 */
	static class RefusedException extends ErrorResponseException {

		RefusedException(@Nullable String field, String detail) {
			super(HttpStatus.BAD_REQUEST, RestartProblem.of(HttpStatus.BAD_REQUEST, field, detail), null);
		}

		private RefusedException(String field, String expectation, String value) {
			this(field, field + " " + expectation + ", got \"" + value + "\"");
		}

	}

}
