package io.tcpresponder.metrics;

import java.util.function.Predicate;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.jspecify.annotations.Nullable;

/**
 * The registry that Prometheus' scrape endpoint (and a push gateway) collect from, with every scrape in a
 * {@link ScrapeScope}: it is where a scrape starts and ends, whatever path or port the request came by.
 */
class ScrapeScopedPrometheusRegistry extends PrometheusRegistry {

	@Override
	public MetricSnapshots scrape() {
		return ScrapeScope.during(super::scrape);
	}

	@Override
	public MetricSnapshots scrape(@Nullable PrometheusScrapeRequest request) {
		return ScrapeScope.during(() -> super.scrape(request));
	}

	@Override
	public MetricSnapshots scrape(@Nullable Predicate<String> includedNames) {
		return ScrapeScope.during(() -> super.scrape(includedNames));
	}

	@Override
	public MetricSnapshots scrape(@Nullable Predicate<String> includedNames, @Nullable PrometheusScrapeRequest request) {
		return ScrapeScope.during(() -> super.scrape(includedNames, request));
	}

}
