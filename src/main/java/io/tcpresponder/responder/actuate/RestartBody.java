package io.tcpresponder.responder.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A restart's JSON body, read strictly, for what Actuator's binding would drop or guess: Actuator binds the fields it
 * knows and ignores the rest, keeps the last of duplicate keys, and hands every value over as text, so that
 * {@code "32"} would pass for {@code 32}; it cannot read an array at all. {@link RestartBodyAdvice} therefore hands
 * the body over whole, and it is read here. The values are checked by {@link RestartRequest}.
 */
final class RestartBody {

	/**
	 * Far more than any restart body needs. A longer one is refused unread when its length is announced, and after at
	 * most this many bytes (and one) when it comes in chunks.
	 */
	static final int MAX_BYTES = 4096;

	/** The one field that Actuator binds: the body as sent, as a string ({@link RestartBodyAdvice}). */
	static final String FIELD = "body";

	private static final JsonMapper json = JsonMapper.builder().build();

	private RestartBody() {
	}

	/**
	 * Reads the body: one JSON object whose members are known fields, each given once, with a value of the field's
	 * JSON type: a single value, or for {@code bindAddresses} an array of strings. Duplicate keys are found here rather
	 * than by Jackson's {@code STRICT_DUPLICATE_DETECTION}, whose error is a parse error that does not name the field.
	 * @param body the body; empty for none
	 * @return the fields, in the body's order
	 * @throws RestartRefusedException naming the problem, and its field where there is one
	 */
	static Map<String, JsonNode> parse(String body) {
		Map<String, JsonNode> fields = new LinkedHashMap<>();
		if (body.isEmpty()) {
			return fields;
		}
		try (JsonParser parser = json.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new RestartRefusedException(null,
						"The body must be a JSON object such as {\"reuseAddress\": false}, or no body at all");
			}
			for (String name; (name = parser.nextName()) != null;) {
				parser.nextToken();
				if (fields.put(name, parser.readValueAsTree()) != null) {
					throw new RestartRefusedException(name,
							"field \"" + name + "\" is given more than once");
				}
			}
			if (parser.nextToken() != null) {
				throw new RestartRefusedException(null,
						"The body is not a JSON document: more follows the object");
			}
		}
		catch (JacksonException ex) {
			throw new RestartRefusedException(null,
					"The body is not a JSON document: " + ex.getOriginalMessage());
		}
		fields.forEach(RestartBody::checkField);
		return fields;
	}

	private static void checkField(String name, JsonNode value) {
		Map<String, String> types = RestartRequest.jsonTypes();
		if (!types.containsKey(name)) {
			throw new RestartRefusedException(name, "unknown field \"" + name + "\"; a restart takes "
					+ String.join(", ", types.keySet()));
		}
		String expected = types.get(name);
		if (value.isContainer() && !expected.equals(RestartField.JsonType.ARRAY_OF_STRINGS.value())) {
			throw new RestartRefusedException(name, name + " must be a single value, got " + value);
		}
		if (!expected.equals(jsonType(value))) {
			throw new RestartRefusedException(name, name + " must be a JSON " + expected + ", got " + value);
		}
	}

	private static String jsonType(JsonNode value) {
		if (value.isArray()) {
			return value.valueStream().allMatch(JsonNode::isString) ? RestartField.JsonType.ARRAY_OF_STRINGS.value()
					: "array";
		}
		if (value.isIntegralNumber()) {
			return "integer";
		}
		if (value.isBoolean()) {
			return "boolean";
		}
		return value.isString() ? "string" : value.getNodeType().name().toLowerCase(Locale.ROOT);
	}

}
