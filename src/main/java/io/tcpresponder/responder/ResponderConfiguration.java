package io.tcpresponder.responder;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The TCP responder and what manages it: lifecycle, actuator endpoint, health and metrics.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResponderProperties.class)
class ResponderConfiguration {

	@Bean
	TcpResponder tcpResponder(ResponderProperties properties) {
		return new TcpResponder(properties.listenerSettings(), properties.message(), properties.closeMode(),
				properties.writeTimeout(), properties.clientCloseTimeout());
	}

	@Bean
	TcpResponderLifecycle tcpResponderLifecycle(TcpResponder responder, ResponderProperties properties) {
		return new TcpResponderLifecycle(responder, properties);
	}

	@Bean
	ResponderEndpoint responderEndpoint(TcpResponder responder) {
		return new ResponderEndpoint(responder);
	}

	@Bean
	ResponderHealthIndicator responderHealthIndicator(TcpResponder responder) {
		return new ResponderHealthIndicator(responder);
	}

	@Bean
	ResponderMetrics responderMetrics(TcpResponder responder) {
		return new ResponderMetrics(responder);
	}

}
