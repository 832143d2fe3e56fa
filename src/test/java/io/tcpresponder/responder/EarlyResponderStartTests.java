package io.tcpresponder.responder;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.tcpresponder.support.LocalPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The listener that starts the responder before the context is refreshed.
 */
class EarlyResponderStartTests {

	@AfterEach
	void endAotProcessing() {
		System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
	}

	@Test
	void springAotsBuildTimeRunStartsNoResponder() {
		int port = LocalPorts.free();
		GenericApplicationContext context = new GenericApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("responder.port", port, "responder.reuse-address", false)));
		System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
		new EarlyResponderStart()
			.onApplicationEvent(new ApplicationPreparedEvent(new SpringApplication(), new String[0], context));
		assertThat(context.getBeanFactory().containsSingleton(EarlyResponderStart.BEAN_NAME)).isFalse();
		assertThatNoException().isThrownBy(() -> new ServerSocket(port, 1, InetAddress.getByName("::")).close());
	}

}
