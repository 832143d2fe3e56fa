package io.tcpresponder.responder.actuate;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.tcpresponder.responder.proxy.AddressBlock;
import io.tcpresponder.responder.server.ListenerSettings;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.convert.DurationStyle;

/**
 * The fields a restart body may change, in the order the lesson page's form shows them, each with its JSON type, the
 * constraint it is checked by (a path into {@link ListenerSettings}) and the typed change it makes. A new socket option
 * or limit is one constant here.
 */
enum RestartField {

	REUSE_ADDRESS("reuseAddress", JsonType.BOOLEAN, "options.reuseAddress",
			(settings, value, name) -> settings.withOptions(settings.options().withReuseAddress(value.booleanValue()))),

	REUSE_PORT("reusePort", JsonType.BOOLEAN, "options.reusePort",
			(settings, value, name) -> settings.withOptions(settings.options().withReusePort(value.booleanValue()))),

	IPV6_ONLY("ipv6Only", JsonType.BOOLEAN, "options.ipv6Only",
			(settings, value, name) -> settings.withOptions(settings.options().withIpv6Only(value.booleanValue()))),

	BACKLOG("backlog", JsonType.INTEGER, "options.backlog",
			(settings, value, name) -> settings.withOptions(settings.options().withBacklog(integer(name, value)))),

	ACCEPTORS("acceptors", JsonType.INTEGER, "options.acceptors",
			(settings, value, name) -> settings.withOptions(settings.options().withAcceptors(integer(name, value)))),

	PORT("port", JsonType.INTEGER, "port", (settings, value, name) -> settings.withPort(integer(name, value))),

	BIND_ADDRESSES("bindAddresses", JsonType.ARRAY_OF_STRINGS, "addresses",
			(settings, value, name) -> settings.withAddresses(addresses(name, value))),

	MAX_CONNECTIONS("maxConnections", JsonType.INTEGER, "limits.maxConnections",
			(settings, value, name) -> settings.withLimits(settings.limits().withMaxConnections(integer(name, value)))),

	MAX_CONNECTIONS_PER_CLIENT("maxConnectionsPerClient", JsonType.INTEGER, "limits.maxConnectionsPerClient",
			(settings, value, name) -> settings
				.withLimits(settings.limits().withMaxConnectionsPerClient(integer(name, value)))),

	IPV4_PREFIX("ipv4Prefix", JsonType.INTEGER, "limits.ipv4Prefix",
			(settings, value, name) -> settings.withLimits(settings.limits().withIpv4Prefix(integer(name, value)))),

	IPV6_PREFIX("ipv6Prefix", JsonType.INTEGER, "limits.ipv6Prefix",
			(settings, value, name) -> settings.withLimits(settings.limits().withIpv6Prefix(integer(name, value)))),

	PROXY_PROTOCOL("proxyProtocol", JsonType.BOOLEAN, "proxyProtocol.enabled",
			(settings, value, name) -> settings
				.withProxyProtocol(settings.proxyProtocol().withEnabled(value.booleanValue()))),

	TRUSTED_PROXIES("trustedProxies", JsonType.ARRAY_OF_STRINGS, "proxyProtocol.trustedProxies",
			(settings, value, name) -> settings
				.withProxyProtocol(settings.proxyProtocol().withTrustedProxies(blocks(name, value)))),

	HEADER_TIMEOUT("headerTimeout", JsonType.STRING, "proxyProtocol.headerTimeout",
			(settings, value, name) -> settings
				.withProxyProtocol(settings.proxyProtocol().withHeaderTimeout(duration(name, value))));

	private final String value;

	private final JsonType type;

	private final String constraintPath;

	private final Change change;

	RestartField(String value, JsonType type, String constraintPath, Change change) {
		this.value = value;
		this.type = type;
		this.constraintPath = constraintPath;
		this.change = change;
	}

	/**
	 * The field of the given name.
	 * @param name the name in the body
	 * @return the field, or {@code null} if a restart takes none of that name
	 */
	static @Nullable RestartField of(String name) {
		return Arrays.stream(values()).filter((field) -> field.value.equals(name)).findFirst().orElse(null);
	}

	String value() {
		return this.value;
	}

	JsonType type() {
		return this.type;
	}

	/**
	 * Whether a constraint violation at the given path of {@link ListenerSettings} is this field's.
	 * @param path the violation's property path, such as {@code options.backlog} or {@code addresses[0].<list element>}
	 * @return whether it is
	 */
	boolean checkedAt(String path) {
		return path.equals(this.constraintPath) || path.startsWith(this.constraintPath + "[")
				|| path.startsWith(this.constraintPath + ".");
	}

	/**
	 * The settings with this field changed to the given value.
	 * @param settings the settings
	 * @param value the value, of this field's JSON type
	 * @return the changed settings
	 * @throws RestartRefusedException if the value cannot be read as the field's type (an integer over 32 bits, an
	 * address that is no IP literal)
	 */
	ListenerSettings applyTo(ListenerSettings settings, JsonNode value) {
		return this.change.apply(settings, value, this.value);
	}

	private static int integer(String name, JsonNode value) {
		if (!value.canConvertToInt()) {
			throw new RestartRefusedException(name, name + " must be a JSON integer of at most 32 bits, got " + value);
		}
		return value.intValue();
	}

	/**
	 * Reads a list of addresses as {@code responder.bind-addresses} takes them: IP literals, no names.
	 */
	private static List<InetAddress> addresses(String name, JsonNode value) {
		return parseEach(name, value, InetAddress::ofLiteral,
				(text, ex) -> name + " must be IP address literals such as 127.0.0.1 or ::1, got " + text);
	}

	/**
	 * Reads a list of addresses or CIDR blocks as {@code responder.proxy-protocol.trusted-proxies} takes them.
	 */
	private static List<AddressBlock> blocks(String name, JsonNode value) {
		return parseEach(name, value, AddressBlock::parse,
				(text, ex) -> name + " must be IP literals or CIDR blocks: " + ex.getMessage());
	}

	/**
	 * Parses each string of an array, the field refused with the message made for the first that does not parse.
	 */
	private static <T> List<T> parseEach(String name, JsonNode value, Function<String, T> parse,
			BiFunction<JsonNode, IllegalArgumentException, String> refusal) {
		List<T> parsed = new ArrayList<>();
		for (JsonNode text : value) {
			try {
				parsed.add(parse.apply(text.stringValue()));
			}
			catch (IllegalArgumentException ex) {
				throw new RestartRefusedException(name, refusal.apply(text, ex));
			}
		}
		return List.copyOf(parsed);
	}

	/**
	 * Reads a duration as the configuration takes it: {@code 3s}, {@code 500ms} or ISO-8601's {@code PT3S}.
	 */
	private static Duration duration(String name, JsonNode value) {
		try {
			return DurationStyle.detectAndParse(value.stringValue());
		}
		catch (IllegalArgumentException ex) {
			throw new RestartRefusedException(name,
					name + " must be a duration such as 3s, 500ms or PT3S, got " + value);
		}
	}

	/**
	 * The JSON types a restart body's values have, as its problems and the lesson page name them.
	 */
	enum JsonType {

		STRING("string"), BOOLEAN("boolean"), INTEGER("integer"), ARRAY_OF_STRINGS("array of strings");

		private final String value;

		JsonType(String value) {
			this.value = value;
		}

		String value() {
			return this.value;
		}

	}

	/**
	 * How a field changes the settings.
	 */
	@FunctionalInterface
	private interface Change {

		ListenerSettings apply(ListenerSettings settings, JsonNode value, String name);

	}

}
