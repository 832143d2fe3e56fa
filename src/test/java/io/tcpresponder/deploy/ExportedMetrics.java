package io.tcpresponder.deploy;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;

/**
 * The metric names a running service exports on /actuator/prometheus, and the responder_* names an expression uses.
 */
final class ExportedMetrics {

	private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (\\S+) ");

	private static final Pattern RESPONDER_METRIC = Pattern.compile("\\bresponder_[a-z_]+\\b");

	private ExportedMetrics() {
	}

	/**
	 * The names of the metrics the service exports, after one client has been served (so that every meter has
	 * counted something).
	 * @param httpPort the service's HTTP port
	 * @return the names, as their TYPE lines give them
	 */
	static Set<String> of(int httpPort) {
		Actuator actuator = new Actuator(httpPort);
		if (Clients.fetch(actuator.responder().get("port").asInt()).isEmpty()) {
			throw new IllegalStateException("the responder sent nothing");
		}
		Set<String> exported = new HashSet<>();
		Matcher type = TYPE_LINE.matcher(actuator.get("/actuator/prometheus").body());
		while (type.find()) {
			exported.add(type.group(1));
		}
		return exported;
	}

	/**
	 * The responder_* metric names in a PromQL expression.
	 * @param expression the expression
	 * @return the names
	 */
	static Set<String> usedBy(String expression) {
		Set<String> used = new HashSet<>();
		Matcher matcher = RESPONDER_METRIC.matcher(expression);
		while (matcher.find()) {
			used.add(matcher.group());
		}
		return used;
	}

}
