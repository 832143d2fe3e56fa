package io.tcpresponder.kernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TcpStateTests {

	@Test
	void codesAreTheKernels() {
		assertThat(TcpState.ofCode(0x01)).isEqualTo(TcpState.ESTABLISHED);
		assertThat(TcpState.ofCode(0x03)).isEqualTo(TcpState.SYN_RECV);
		assertThat(TcpState.ofCode(0x04)).isEqualTo(TcpState.FIN_WAIT1);
		assertThat(TcpState.ofCode(0x05)).isEqualTo(TcpState.FIN_WAIT2);
		assertThat(TcpState.ofCode(0x06)).isEqualTo(TcpState.TIME_WAIT);
		assertThat(TcpState.ofCode(0x08)).isEqualTo(TcpState.CLOSE_WAIT);
		assertThat(TcpState.ofCode(0x09)).isEqualTo(TcpState.LAST_ACK);
		assertThat(TcpState.ofCode(0x0A)).isEqualTo(TcpState.LISTEN);
		assertThat(TcpState.ofCode(0x0B)).isEqualTo(TcpState.CLOSING);
	}

	@Test
	void statesThatAreNotReportedHaveNoCode() {
		assertThat(TcpState.ofCode(0x02)).isNull(); // SYN_SENT
		assertThat(TcpState.ofCode(0x07)).isNull(); // CLOSE
		assertThat(TcpState.ofCode(0x0C)).isNull();
		assertThat(TcpState.ofCode(-1)).isNull();
		assertThat(TcpState.ofCode(0x100)).isNull();
	}

	@Test
	void tagIsTheLowerCaseName() {
		assertThat(TcpState.TIME_WAIT.tag()).isEqualTo("time_wait");
		assertThat(TcpState.FIN_WAIT1.tag()).isEqualTo("fin_wait1");
	}

}
