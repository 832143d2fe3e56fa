package io.tcpresponder.deploy;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The chart's values.schema.json, read as a tree of maps.
 */
final class ValuesSchema {

	private static final Map<String, Object> schema = read();

	private ValuesSchema() {
	}

	static Map<String, Object> root() {
		return schema;
	}

	/**
	 * The schema of a value, following {@code $ref}s.
	 * @param path the value's dotted path
	 * @return its schema, or {@code null} when the schema does not know it
	 */
	static Map<String, Object> of(String path) {
		Map<String, Object> node = schema;
		for (String step : path.split("\\.")) {
			Map<String, Map<String, Object>> properties = properties(node);
			if (properties == null || !properties.containsKey(step)) {
				return null;
			}
			node = properties.get(step);
		}
		return node;
	}

	/**
	 * The properties of a schema node, following a {@code $ref}.
	 * @param node the node
	 * @return its properties, or {@code null}
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Map<String, Object>> properties(Map<String, Object> node) {
		return (Map<String, Map<String, Object>>) resolve(node).get("properties");
	}

	/**
	 * The node a {@code $ref} points to (within this file), or the node itself.
	 * @param node the node
	 * @return the resolved node
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> resolve(Map<String, Object> node) {
		Object ref = node.get("$ref");
		if (ref == null) {
			return node;
		}
		Object target = schema;
		for (String step : ((String) ref).substring(2).split("/")) {
			target = ((Map<String, Object>) target).get(step);
		}
		return resolve((Map<String, Object>) target);
	}

	/**
	 * The type of a value as the chart's README names it: the JSON type ("list" for an array), or the title of the
	 * definition it refers to (quantity, duration, int or percent).
	 * @param node the value's schema
	 * @return the type's name
	 */
	static String typeName(Map<String, Object> node) {
		Map<String, Object> resolved = resolve(node);
		if (resolved.get("title") instanceof String title && node.containsKey("$ref")) {
			return title;
		}
		Object type = resolved.get("type");
		if (type instanceof List<?> types) {
			return String.join(" or ", types.stream().map((item) -> name((String) item)).toList());
		}
		if (type instanceof String single) {
			return name(single);
		}
		throw new AssertionError("no type in schema node " + node);
	}

	private static String name(String jsonType) {
		return "array".equals(jsonType) ? "list" : jsonType;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> read() {
		return JsonMapper.builder()
			.build()
			.readValue(Repository.CHART.resolve("values.schema.json").toFile(), Map.class);
	}

}
