package io.tcpresponder.page;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the lesson page needs from the feature it shows: which endpoint to read and restart, how often the figures
 * change, and the restart body's fields. The page has no figures and no write path of its own: it reads the
 * endpoint's GET and posts to its restart, which keep their own guards.
 *
 * @param endpointId the id of the actuator endpoint whose GET the page shows and whose {@code restart} it posts to
 * @param refreshInterval how often the kernel's view of the port is read: the page asks no more often
 * @param restartFields the restart body's fields by name, each with its JSON type ({@code string}, {@code boolean},
 * {@code integer}, {@code array of strings}), in the order the form shows them
 * @param restartModes the values of the {@code mode} field, the default first
 */
public record LessonPage(String endpointId, Duration refreshInterval, Map<String, String> restartFields,
		List<String> restartModes) {

	public LessonPage {
		restartFields = Collections.unmodifiableMap(new LinkedHashMap<>(restartFields));
		restartModes = List.copyOf(restartModes);
	}

}
