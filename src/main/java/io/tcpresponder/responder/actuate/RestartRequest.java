package io.tcpresponder.responder.actuate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.tcpresponder.responder.server.ListenerSettings;
import io.tcpresponder.responder.server.RestartMode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A restart as asked: how the listeners are replaced, and the fields of the body in its order, each a typed change of
 * the listener settings ({@link RestartField}). Checked strictly before anything changes: the JSON type of each field
 * by {@link RestartBody}, then the settings the changes make, once, by the Bean Validation constraints of
 * {@link ListenerSettings}, {@link io.tcpresponder.transport.SocketOptions} and
 * {@link io.tcpresponder.responder.limit.ConnectionLimits}. A refused value answers 400 with a message that names the
 * field. A port of 0 picks a free port, as at startup; the answer and {@code GET /actuator/responder} report the port
 * bound.
 *
 * @param mode how the listeners are replaced
 * @param dryRun whether to tell what the restart would meet rather than restart: nothing is closed
 * @param changes the fields the body changes, in its order; the settings it leaves out are kept
 */
record RestartRequest(RestartMode mode, boolean dryRun, List<Change> changes) {

	static final String MODE = "mode";

	static final String DRY_RUN = "dryRun";

	RestartRequest {
		changes = List.copyOf(changes);
	}

	/** The fields a restart body may have, in order, with their JSON types. */
	private static final Map<String, String> JSON_TYPES = types();

	/**
	 * The fields a restart body may have, in order, with their JSON types: the mode, whether it is a dry run, then each
	 * change.
	 * @return the JSON type of each field, by name
	 */
	static Map<String, String> jsonTypes() {
		return JSON_TYPES;
	}

	private static Map<String, String> types() {
		Map<String, String> types = new LinkedHashMap<>();
		types.put(MODE, RestartField.JsonType.STRING.value());
		types.put(DRY_RUN, RestartField.JsonType.BOOLEAN.value());
		for (RestartField field : RestartField.values()) {
			types.put(field.value(), field.type().value());
		}
		return Collections.unmodifiableMap(types);
	}

	/**
	 * The fields the lesson page's restart form offers: those of {@link #jsonTypes()} but {@code dryRun}, which the
	 * form does not send.
	 * @return the JSON type of each field, by name
	 */
	static Map<String, String> formTypes() {
		Map<String, String> types = new LinkedHashMap<>(jsonTypes());
		types.remove(DRY_RUN);
		return Collections.unmodifiableMap(types);
	}

	/**
	 * Reads the fields of a restart body.
	 * @param fields the body's fields, known and of their JSON types as {@link RestartBody#parse} checks them
	 * @return the request
	 * @throws RestartRefusedException if the mode is not one there is
	 */
	static RestartRequest of(Map<String, JsonNode> fields) {
		RestartMode mode = mode(fields.get(MODE));
		JsonNode dryRun = fields.get(DRY_RUN);
		List<Change> changes = new ArrayList<>();
		fields.forEach((name, value) -> {
			RestartField field = RestartField.of(name);
			if (field != null) {
				changes.add(new Change(field, value));
			}
		});
		return new RestartRequest(mode, dryRun != null && dryRun.booleanValue(), changes);
	}

	private static RestartMode mode(@Nullable JsonNode value) {
		RestartMode mode = RestartMode.of((value != null) ? value.stringValue() : null);
		if (mode == null) {
			throw new RestartRefusedException(MODE, MODE + " must be " + Arrays.stream(RestartMode.values())
				.map(RestartMode::value)
				.collect(Collectors.joining(" or ")) + ", got " + value);
		}
		return mode;
	}

	/**
	 * The settings this request makes of the given ones.
	 * @param settings the current settings
	 * @return the new settings
	 */
	ListenerSettings applyTo(ListenerSettings settings) {
		ListenerSettings next = settings;
		for (Change change : this.changes) {
			next = change.field().applyTo(next, change.value());
		}
		return next;
	}

	/**
	 * The settings the changes make of the current ones, checked once by their constraints: the first change, in the
	 * body's order, whose value breaks one is refused.
	 * @param validator checks the settings
	 * @param current the current settings
	 * @return the new settings
	 * @throws RestartRefusedException if a value cannot be read or breaks a constraint, naming its field
	 */
	ListenerSettings checked(Validator validator, ListenerSettings current) {
		ListenerSettings next = applyTo(current);
		Set<ConstraintViolation<ListenerSettings>> violations = validator.validate(next);
		for (Change change : this.changes) {
			String messages = violations.stream()
				.filter((violation) -> change.field().checkedAt(violation.getPropertyPath().toString()))
				.map(ConstraintViolation::getMessage)
				.sorted()
				.distinct()
				.collect(Collectors.joining(" and "));
			if (!messages.isEmpty()) {
				String name = change.field().value();
				throw new RestartRefusedException(name, name + " " + messages + ", got " + change.value());
			}
		}
		return next;
	}

	/**
	 * One field of the body: what it changes, and the value as sent.
	 *
	 * @param field the field
	 * @param value its value, of the field's JSON type
	 */
	record Change(RestartField field, JsonNode value) {
	}

}
