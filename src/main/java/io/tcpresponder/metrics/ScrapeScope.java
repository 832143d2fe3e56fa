package io.tcpresponder.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One reading per scrape for meters that show parts of one whole, such as the responder's accepted, completed,
 * failed and active connections.
 *
 * <p>
 * A scrape calls each meter's function in turn while the counts move, so meters that read the counts themselves
 * each show another moment, and their sum is off. Micrometer has no hook around a scrape, and a reading kept for a
 * time would not do either: a scrape may straddle its renewal. So the Prometheus registry opens a scope around every
 * scrape ({@link ScrapeScopedPrometheusRegistry}), and the first meter to read takes the reading for all others of
 * that scrape. A scope is bound to the scraping thread only, so concurrent scrapes each take their own reading.
 * Outside a scrape (a GET of {@code /actuator/metrics}, a unit test's registry) every read is fresh.
 */
public final class ScrapeScope {

	private static final ScopedValue<Map<Supplier<?>, Object>> READINGS = ScopedValue.newInstance();

	private ScrapeScope() {
	}

	/**
	 * Wraps a reading so that every meter of one scrape gets the same value.
	 * @param <T> the type of the reading
	 * @param reading reads the values together
	 * @return a supplier that reads once per scrape, and every time outside one
	 */
	public static <T> Supplier<T> oncePerScrape(Supplier<T> reading) {
		return new Supplier<>() {

			@Override
			@SuppressWarnings("unchecked") // only this supplier stores under its own key
			public T get() {
				if (!READINGS.isBound()) {
					return reading.get();
				}
				return (T) READINGS.get().computeIfAbsent(this, (key) -> reading.get());
			}

		};
	}

	/**
	 * Runs a scrape in a scope of its own, or in the scope already open on this thread.
	 */
	static <T> T during(Supplier<T> scrape) {
		if (READINGS.isBound()) {
			return scrape.get();
		}
		return ScopedValue.where(READINGS, new HashMap<>()).call(scrape::get);
	}

}
