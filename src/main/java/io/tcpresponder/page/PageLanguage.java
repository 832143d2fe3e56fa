package io.tcpresponder.page;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The languages the lesson page is written in, and the one a reader gets: the page's own switch ({@code ?lang=})
 * first, else the browser's {@code Accept-Language} in its order of preference (RFC 4647 through
 * {@link Locale#lookup} and {@link Locale#filter}), else English.
 */
final class PageLanguage {

	/** English first: the language of a reader who names none the page has. */
	static final List<Locale> WRITTEN_IN = List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE);

	private PageLanguage() {
	}

	/**
	 * The page's language for one request.
	 * @param chosen the page's switch, a language tag such as {@code zh-CN}; {@code null} when not used
	 * @param acceptLanguage the request's {@code Accept-Language} header; {@code null} when absent
	 * @return one of {@link #WRITTEN_IN}
	 */
	static Locale of(@Nullable String chosen, @Nullable String acceptLanguage) {
		for (String preference : new String[] { chosen, acceptLanguage }) {
			Locale best = best(preference);
			if (best != null) {
				return best;
			}
		}
		return WRITTEN_IN.getFirst();
	}

	/**
	 * The best of the page's languages for a list of preferences, {@code null} for none or a list that is not
	 * well-formed: a reader's odd header gets the default page rather than an error.
	 */
	private static @Nullable Locale best(@Nullable String preferences) {
		if (preferences == null || preferences.isBlank()) {
			return null;
		}
		List<Locale.LanguageRange> ranges;
		try {
			ranges = Locale.LanguageRange.parse(preferences);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		// One range at a time, so that the reader's order wins over the page's: "zh" is met by zh-CN (filter),
		// "en-GB" by en (lookup).
		for (Locale.LanguageRange range : ranges) {
			if (range.getWeight() == 0) {
				continue;
			}
			Locale exact = Locale.lookup(List.of(range), WRITTEN_IN);
			if (exact != null) {
				return exact;
			}
			List<Locale> wider = Locale.filter(List.of(range), WRITTEN_IN);
			if (!wider.isEmpty()) {
				return wider.getFirst();
			}
		}
		return null;
	}

}
