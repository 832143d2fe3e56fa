package io.tcpresponder.metrics;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps the Prometheus exposition clean. Meters that break Prometheus' naming rules are turned off in
 * {@code application.yml}; those that only lack a description get one here.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	@Bean
	MeterDescriptions meterDescriptions() {
		return new MeterDescriptions(Map.of("http.server.requests", "Duration of HTTP server requests"));
	}

}
