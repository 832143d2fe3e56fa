package io.tcpresponder.metrics;

import java.util.Map;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps the Prometheus exposition clean and consistent. Meters that break Prometheus' naming rules are turned off in
 * {@code application.yml}; those that only lack a description get one here. Every scrape runs in a
 * {@link ScrapeScope}, so that meters of one whole read it once per scrape.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	@Bean
	MeterDescriptions meterDescriptions() {
		return new MeterDescriptions(Map.of("http.server.requests", "Duration of HTTP server requests"));
	}

	/**
	 * Takes the place of Spring Boot's registry, which backs off when one is defined.
	 */
	@Bean
	PrometheusRegistry prometheusRegistry() {
		return new ScrapeScopedPrometheusRegistry();
	}

}
