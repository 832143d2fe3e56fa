package io.tcpresponder.responder.proxy;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AddressBlockTests {

	@ParameterizedTest
	@CsvSource({ "10.0.0.0/8, 10.255.1.2, true", "10.0.0.0/8, 11.0.0.1, false", "192.0.2.7, 192.0.2.7, true",
			"192.0.2.7, 192.0.2.8, false", "192.0.2.7/30, 192.0.2.4, true", "0.0.0.0/0, 203.0.113.9, true",
			"0.0.0.0/0, ::1, false", "2001:db8::/32, 2001:db8:ffff::1, true", "2001:db8::/32, 2001:db9::1, false",
			"::/0, 10.0.0.1, false", "::1, ::1, true", "127.0.0.1/8, 127.9.9.9, true" })
	void containsTheAddressesOfItsPrefix(String block, String address, boolean contained) {
		assertThat(AddressBlock.parse(block).contains(InetAddress.ofLiteral(address))).isEqualTo(contained);
	}

	@ParameterizedTest
	@CsvSource({ "10.1.2.3/8, 10.0.0.0/8", "192.0.2.7, 192.0.2.7/32", "2001:db8::1/32, 2001:db8::/32" })
	void saysItselfAsANetworkAndAPrefix(String text, String said) {
		assertThat(AddressBlock.parse(text)).hasToString(said);
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8",
			"10.0.0.0/ 8", "" })
	void refusesWhatIsNoLiteralOrPrefix(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> AddressBlock.parse(text)).withMessageContaining(text);
	}

}
