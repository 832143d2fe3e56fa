package io.tcpresponder.transport;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Addresses as the responder writes them (in GET, logs, metric tags, errors): as users write them.
 */
class AddressesTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			127.0.0.1                 | 127.0.0.1
			0.0.0.0                   | 0.0.0.0
			::                        | ::
			::1                       | ::1
			0:0:0:0:0:0:0:1           | ::1
			2001:db8:0:0:1:0:0:1      | 2001:db8::1:0:0:1
			2001:db8:0:1:1:1:1:1      | 2001:db8:0:1:1:1:1:1
			1:0:0:0:0:0:0:0           | 1::
			fe80:0:0:0:0:0:0:1%1      | fe80::1%1
			""")
	void anAddressIsWrittenInItsShortForm(String literal, String text) {
		assertThat(Addresses.text(InetAddress.ofLiteral(literal))).isEqualTo(text);
	}

}
