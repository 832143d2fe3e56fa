package io.tcpresponder.metrics;

import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Describes meters that their binders leave without a description, so that every metric on
 * {@code /actuator/prometheus} has its HELP text ({@code promtool check metrics} asks for one).
 */
class MeterDescriptions implements MeterFilter {

	private final Map<String, String> descriptions;

	MeterDescriptions(Map<String, String> descriptions) {
		this.descriptions = Map.copyOf(descriptions);
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		String description = this.descriptions.get(id.getName());
		if (description == null || id.getDescription() != null) {
			return id;
		}
		return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), description, id.getType());
	}

}
