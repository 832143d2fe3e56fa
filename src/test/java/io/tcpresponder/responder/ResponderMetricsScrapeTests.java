package io.tcpresponder.responder;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.Load;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The responder's meters as Prometheus scrapes them while clients keep connecting.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "responder.port=0")
class ResponderMetricsScrapeTests {

	private static final int SCRAPES = 200;

	private static final Pattern SAMPLE = Pattern
		.compile("(?m)^(responder_connections_(?:accepted_total|completed_total|failed_total|active))\\{.*} (\\S+)$");

	@LocalServerPort
	private int httpPort;

	@Test
	void everyScrapeUnderLoadShowsOneSnapshotOfTheCounts() {
		Actuator actuator = new Actuator(this.httpPort);
		int port = actuator.responder().get("port").asInt();
		List<Counts> scrapes = new ArrayList<>();
		try (Load load = Load.start(port, "I sent sth to client!\n", 2, Clients.TIMEOUT_MILLIS)) {
			for (int i = 0; i < SCRAPES; i++) {
				scrapes.add(Counts.of(actuator.get("/actuator/prometheus").body()));
			}
		}
		assertThat(scrapes.getLast().accepted()).as("connections accepted while scraping")
			.isGreaterThan(scrapes.getFirst().accepted());
		assertThat(scrapes).as("scrapes where accepted != completed + failed + active")
			.filteredOn((counts) -> counts.accepted() != counts.completed() + counts.failed() + counts.active())
			.isEmpty();
	}

	/**
	 * The connection counts of one scrape, failures summed over their reasons.
	 */
	private record Counts(long accepted, long completed, long failed, long active) {

		static Counts of(String exposition) {
			long accepted = 0;
			long completed = 0;
			long failed = 0;
			long active = 0;
			Matcher sample = SAMPLE.matcher(exposition);
			while (sample.find()) {
				long value = (long) Double.parseDouble(sample.group(2));
				switch (sample.group(1)) {
					case "responder_connections_accepted_total" -> accepted += value;
					case "responder_connections_completed_total" -> completed += value;
					case "responder_connections_failed_total" -> failed += value;
					default -> active += value;
				}
			}
			return new Counts(accepted, completed, failed, active);
		}

	}

}
