package io.tcpresponder.responder;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

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
 * @param bindAddresses the new local addresses, empty for every address, or {@code null} to keep them
 */
record RestartRequest(RestartMode mode, @Nullable Boolean reuseAddress, @Nullable Boolean reusePort, @Nullable Integer port,
		@Nullable Integer backlog, @Nullable List<InetAddress> bindAddresses) {

	private static final JsonMapper json = JsonMapper.builder().build();

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
		types.put("bindAddresses", RestartBody.ARRAY_OF_STRINGS);
		return Collections.unmodifiableMap(types);
	}

	/**
	 * Reads the values of a restart body. Actuator hands them over as text, JSON numbers and booleans alike.
	 * @param mode the name of a {@link RestartMode}, or {@code null} for {@code close-then-bind}
	 * @param reuseAddress {@code true}, {@code false}, or {@code null}
	 * @param reusePort {@code true}, {@code false}, or {@code null}
	 * @param port an integer from 1 to 65535, or {@code null}
	 * @param backlog an integer from 1 to 65535, or {@code null}
	 * @param bindAddresses the JSON text of an array of distinct IP literals of this host, as {@link RestartBody}
	 * hands it over, or {@code null}
	 * @return the request
	 * @throws RefusedException if a value is of the wrong type or out of range
	 */
	static RestartRequest of(@Nullable String mode, @Nullable String reuseAddress, @Nullable String reusePort,
			@Nullable String port, @Nullable String backlog, @Nullable String bindAddresses) {
		return new RestartRequest(mode(mode), bool("reuseAddress", reuseAddress), bool("reusePort", reusePort),
				integer("port", port, 1, 65535), integer("backlog", backlog, 1, 65535),
				addresses("bindAddresses", bindAddresses));
	}

	private static RestartMode mode(@Nullable String value) {
		RestartMode mode = RestartMode.of(value);
		if (mode == null) {
			throw new RefusedException("mode", "must be " + Arrays.stream(RestartMode.values())
				.map(RestartMode::value)
				.collect(Collectors.joining(" or ")), value);
		}
		return mode;
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

	/**
	 * Reads a list of addresses as {@code responder.bind-addresses} takes them: IP literals, each an address of this
	 * host, each once, at most {@link ResponderProperties#MAX_BIND_ADDRESSES}.
	 */
	private static @Nullable List<InetAddress> addresses(String field, @Nullable String value) {
		if (value == null) {
			return null;
		}
		String[] texts;
		try {
			texts = json.readValue(value, String[].class);
		}
		catch (JacksonException ex) {
			throw new RefusedException(field, "must be a JSON array of strings", value);
		}
		if (texts.length > ResponderProperties.MAX_BIND_ADDRESSES) {
			throw new RefusedException(field, field + " must be at most " + ResponderProperties.MAX_BIND_ADDRESSES
					+ " addresses, got " + texts.length);
		}
		List<InetAddress> addresses = new ArrayList<>();
		for (String text : texts) {
			InetAddress address;
			try {
				address = InetAddress.ofLiteral(text);
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				throw new RefusedException(field, "must be IP address literals such as 127.0.0.1 or ::1", text);
			}
			if (!LocalAddress.Validator.isLocal(address)) {
				throw new RefusedException(field, "must be addresses of this host", text);
			}
			if (addresses.contains(address)) {
				throw new RefusedException(field,
						field + " must be distinct addresses, got " + ListenerSettings.text(address) + " twice");
			}
			addresses.add(address);
		}
		return List.copyOf(addresses);
	}

	ListenerSettings applyTo(ListenerSettings settings) {
		return new ListenerSettings((this.bindAddresses != null) ? this.bindAddresses : settings.addresses(),
				(this.port != null) ? this.port : settings.port(),
				(this.reuseAddress != null) ? this.reuseAddress : settings.reuseAddress(),
				(this.reusePort != null) ? this.reusePort : settings.reusePort(),
				(this.backlog != null) ? this.backlog : settings.backlog());
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
