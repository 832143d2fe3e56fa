package io.tcpresponder.responder;

import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.tcpresponder.transport.SocketOptions;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The changes a restart asks for, checked strictly before anything changes: the JSON type of each field by
 * {@link RestartBody}, and each value by the same Bean Validation constraints as the configuration it changes
 * ({@link ResponderProperties#port()}, {@link ResponderProperties#bindAddresses()}, every component of
 * {@link SocketOptions}, every component of {@link ConnectionLimits}). A refused value answers 400 with a message that
 * names the field. A port of 0 picks a free port, as at startup; the answer and {@code GET /actuator/responder}
 * report the port bound.
 *
 * @param mode how the listeners are replaced
 * @param port the new port, or {@code null} to keep it
 * @param bindAddresses the new local addresses, empty for every address, or {@code null} to keep them
 * @param options the socket options to change, by their component's name, the others kept
 * @param limits the connection limits to change, by their component's name, the others kept
 */
record RestartRequest(RestartMode mode, @Nullable Integer port, @Nullable List<InetAddress> bindAddresses,
		Map<String, Object> options, Map<String, Object> limits) {

	/** The names of the connection limits' fields. */
	private static final Set<String> LIMITS = Arrays.stream(ConnectionLimits.class.getRecordComponents())
		.map(RecordComponent::getName)
		.collect(Collectors.toUnmodifiableSet());

	private static final String MODE = "mode";

	private static final String PORT = "port";

	private static final String BIND_ADDRESSES = "bindAddresses";

	/** The fields a restart body may have, in order, with their JSON types. */
	static final Map<String, String> JSON_TYPES = jsonTypes();

	private static Map<String, String> jsonTypes() {
		Map<String, String> types = new LinkedHashMap<>();
		types.put(MODE, "string");
		for (RecordComponent option : SocketOptions.class.getRecordComponents()) {
			types.put(option.getName(), jsonType(option.getType()));
		}
		types.put(PORT, "integer");
		types.put(BIND_ADDRESSES, RestartBody.ARRAY_OF_STRINGS);
		for (RecordComponent limit : ConnectionLimits.class.getRecordComponents()) {
			types.put(limit.getName(), jsonType(limit.getType()));
		}
		return Collections.unmodifiableMap(types);
	}

	private static String jsonType(Class<?> type) {
		if (type == boolean.class) {
			return "boolean";
		}
		if (type == int.class) {
			return "integer";
		}
		throw new IllegalStateException("A restart cannot take a socket option of type " + type.getName());
	}

	/**
	 * Reads and checks the fields of a restart body.
	 * @param fields the body's fields, of the JSON types of {@link #JSON_TYPES} as {@link RestartBody#parse} checks
	 * them
	 * @param validator checks each value against the constraints of what it changes
	 * @return the request
	 * @throws RefusedException if a value breaks a constraint
	 */
	static RestartRequest of(Map<String, JsonNode> fields, Validator validator) {
		RestartMode mode = mode(fields.get(MODE));
		Integer port = null;
		List<InetAddress> bindAddresses = null;
		Map<String, Object> options = new LinkedHashMap<>();
		Map<String, Object> limits = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
			String name = field.getKey();
			JsonNode value = field.getValue();
			switch (name) {
				case MODE -> {
				}
				case PORT -> port = checked(validator, ResponderProperties.class, name, integer(name, value), value);
				case BIND_ADDRESSES ->
					bindAddresses = checked(validator, ResponderProperties.class, name, addresses(value), value);
				default -> {
					if (LIMITS.contains(name)) {
						limits.put(name, checked(validator, ConnectionLimits.class, name, integer(name, value), value));
					}
					else {
						options.put(name, checked(validator, SocketOptions.class, name,
								value.isBoolean() ? value.booleanValue() : integer(name, value), value));
					}
				}
			}
		}
		return new RestartRequest(mode, port, bindAddresses, options, limits);
	}

	private static RestartMode mode(@Nullable JsonNode value) {
		RestartMode mode = RestartMode.of((value != null) ? value.stringValue() : null);
		if (mode == null) {
			throw new RefusedException(MODE, MODE + " must be " + Arrays.stream(RestartMode.values())
				.map(RestartMode::value)
				.collect(Collectors.joining(" or ")) + ", got " + value);
		}
		return mode;
	}

	private static int integer(String name, JsonNode value) {
		if (!value.canConvertToInt()) {
			throw new RefusedException(name, name + " must be a JSON integer of at most 32 bits, got " + value);
		}
		return value.intValue();
	}

	/**
	 * Reads a list of addresses as {@code responder.bind-addresses} takes them: IP literals, no names.
	 */
	private static List<InetAddress> addresses(JsonNode value) {
		List<InetAddress> addresses = new ArrayList<>();
		for (JsonNode text : value) {
			try {
				addresses.add(InetAddress.ofLiteral(text.stringValue()));
			}
			catch (IllegalArgumentException ex) {
				throw new RefusedException(BIND_ADDRESSES,
						BIND_ADDRESSES + " must be IP address literals such as 127.0.0.1 or ::1, got " + text);
			}
		}
		return List.copyOf(addresses);
	}

	/**
	 * Checks a value against the constraints of the property it changes.
	 */
	private static <T> T checked(Validator validator, Class<?> type, String name, T value, JsonNode json) {
		Set<? extends ConstraintViolation<?>> violations = validator.validateValue(type, name, value);
		if (!violations.isEmpty()) {
			String messages = violations.stream()
				.map(ConstraintViolation::getMessage)
				.sorted()
				.distinct()
				.collect(Collectors.joining(" and "));
			throw new RefusedException(name, name + " " + messages + ", got " + json);
		}
		return value;
	}

	/**
	 * The settings this request makes of the current ones.
	 * @param settings the current settings
	 * @return the new settings
	 */
	ListenerSettings applyTo(ListenerSettings settings) {
		return new ListenerSettings((this.bindAddresses != null) ? this.bindAddresses : settings.addresses(),
				(this.port != null) ? this.port : settings.port(),
				changed(SocketOptions.class, settings.options(), this.options),
				changed(ConnectionLimits.class, settings.limits(), this.limits));
	}

	/**
	 * A copy of a record with the given components changed, by name.
	 */
	private static <R extends Record> R changed(Class<R> type, R current, Map<String, Object> changes) {
		if (changes.isEmpty()) {
			return current;
		}
		RecordComponent[] components = type.getRecordComponents();
		Object[] values = new Object[components.length];
		Class<?>[] types = new Class<?>[components.length];
		try {
			for (int i = 0; i < components.length; i++) {
				String name = components[i].getName();
				values[i] = changes.containsKey(name) ? changes.get(name) : components[i].getAccessor().invoke(current);
				types[i] = components[i].getType();
			}
			var constructor = type.getDeclaredConstructor(types);
			constructor.setAccessible(true);
			return constructor.newInstance(values);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Unable to change " + current, ex);
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

	}

}
