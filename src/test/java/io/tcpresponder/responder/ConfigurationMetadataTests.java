package io.tcpresponder.responder;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that IDEs read, as the configuration processor writes it into the jar.
 */
class ConfigurationMetadataTests {

	@Test
	void bindAddressIsDeprecatedForBindAddresses() throws IOException {
		JsonNode metadata = metadata();
		JsonNode bindAddress = property(metadata, "responder.bind-address");
		assertThat(bindAddress.get("deprecated").asBoolean()).isTrue();
		assertThat(bindAddress.at("/deprecation/replacement").asString()).isEqualTo("responder.bind-addresses");
		JsonNode bindAddresses = property(metadata, "responder.bind-addresses");
		assertThat(bindAddresses.get("type").asString()).isEqualTo("java.util.List<java.net.InetAddress>");
		assertThat(bindAddresses.has("deprecated")).isFalse();
		assertThat(bindAddresses.get("description").asString()).contains("empty means every local address");
	}

	@Test
	void ipv6OnlyIsAnOptionOffByDefault() throws IOException {
		JsonNode ipv6Only = property(metadata(), "responder.ipv6-only");
		assertThat(ipv6Only.get("type").asString()).isEqualTo("java.lang.Boolean");
		assertThat(ipv6Only.get("defaultValue").asBoolean()).isFalse();
		assertThat(ipv6Only.get("description").asString()).contains("IPV6_V6ONLY");
	}

	private JsonNode metadata() throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
			return JsonMapper.builder().build().readTree(in);
		}
	}

	private static JsonNode property(JsonNode metadata, String name) {
		return metadata.get("properties")
			.valueStream()
			.filter((property) -> name.equals(property.get("name").asString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no property " + name + " in the metadata"));
	}

}
