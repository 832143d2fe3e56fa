package io.tcpresponder.kernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerLimitsTests {

	@Test
	void sendQueueOfAListenerIsItsBacklogLimit() {
		assertThat(ListenerLimits.sendQueue("LISTEN 2      5      [::ffff:127.0.0.1]:8083 *:*")).isEqualTo(5);
		assertThat(ListenerLimits.sendQueue("LISTEN 0      4096         0.0.0.0:9000      0.0.0.0:*")).isEqualTo(4096);
	}

	@Test
	void otherLinesCountNothing() {
		assertThat(ListenerLimits.sendQueue("")).isZero();
		assertThat(ListenerLimits.sendQueue("ESTAB 0 0 127.0.0.1:9000 127.0.0.1:40000")).isZero();
		assertThat(ListenerLimits.sendQueue("LISTEN 0 x 127.0.0.1:9000 *:*")).isZero();
	}

}
