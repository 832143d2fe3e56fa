package io.tcpresponder.responder.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.Load;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The responder's meters as Prometheus scrapes them while clients keep connecting. The kernel's socket tables are
 * read once: this test is about the responder's counts, and a read of a busy host's tables may take seconds.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "responder.port=0", "responder.tcp.refresh-interval=1h" })
class ResponderMetricsScrapeTests {

	/** How long the test keeps scraping while clients connect, once it has scraped {@link #MIN_SCRAPES} times. */
	private static final Duration SCRAPING = Duration.ofSeconds(5);

	private static final int MIN_SCRAPES = 20;

	private static final int MAX_SCRAPES = 300;

	private static final Pattern SAMPLE = Pattern
		.compile("(?m)^(responder_connections_(?:accepted_total|completed_total|failed_total|active))\\{.*} (\\S+)$");

	@LocalServerPort
	private int httpPort;

	@Test
	void everyScrapeUnderLoadShowsOneSnapshotOfTheCounts() {
		Actuator actuator = new Actuator(this.httpPort);
		int port = actuator.responder().get("port").asInt();
		List<Counts> scrapes = new ArrayList<>();
		actuator.get("/actuator/prometheus");
		try (Load load = Load.start(port, Clients.LINE, 2, Clients.TIMEOUT_MILLIS)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> load.attempts() > 0);
			long connectionsBefore = load.attempts();
			long end = System.nanoTime() + SCRAPING.toNanos();
			while (scrapes.size() < MIN_SCRAPES || (scrapes.size() < MAX_SCRAPES && System.nanoTime() < end)) {
				scrapes.add(Counts.of(actuator.get("/actuator/prometheus").body()));
			}
			assertThat(load.attempts()).as("connections while scraping").isGreaterThan(connectionsBefore);
		}
		System.out.println("FIGURES " + getClass().getSimpleName() + " scrapes=" + scrapes.size() + " accepted="
				+ scrapes.getLast().accepted());
		assertThat(scrapes.getLast().accepted()).as("accepted connections in the last scrape").isPositive();
		assertThat(scrapes).as("of %d scrapes, those where accepted != completed + failed + active", scrapes.size())
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
