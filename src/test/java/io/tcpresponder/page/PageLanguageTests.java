package io.tcpresponder.page;

import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PageLanguageTests {

	@ParameterizedTest(name = "lang={0}, Accept-Language={1}: {2}")
	@CsvSource(delimiter = '|', nullValues = "-", value = {
			"-      | -                              | en",
			"-      | zh-CN,zh;q=0.9,en;q=0.8        | zh-CN",
			"-      | zh                             | zh-CN",
			"-      | en-GB,en;q=0.9                 | en",
			"-      | fr-FR,fr;q=0.9,zh-CN;q=0.5     | zh-CN",
			"-      | fr-FR,fr;q=0.9                 | en",
			"-      | de;q=0.9,en;q=0.8,zh;q=0.85    | zh-CN",
			"-      | zh;q=0,en                      | en",
			"-      | ;;not a header==               | en",
			"en     | zh-CN,zh;q=0.9                 | en",
			"zh-CN  | en-US,en;q=0.9                 | zh-CN",
			"klingon| zh-CN                          | zh-CN",
			"%%%    | -                              | en" })
	void theSwitchFirstThenTheBrowsersPreferencesThenEnglish(String chosen, String acceptLanguage, String expected) {
		assertThat(PageLanguage.of(chosen, acceptLanguage)).isEqualTo(Locale.forLanguageTag(expected));
	}

}
