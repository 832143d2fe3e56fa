package io.tcpresponder.page;

import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The page's texts in one language, as the tests expect to see them: the bundle's own, never the JVM's default
 * language in its place.
 */
final class Texts {

	private Texts() {
	}

	static ResourceBundle of(Locale locale) {
		return ResourceBundle.getBundle("messages", locale,
				ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
	}

}
