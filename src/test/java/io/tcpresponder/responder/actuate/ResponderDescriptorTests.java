package io.tcpresponder.responder.actuate;

import io.tcpresponder.kernel.PortView;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the descriptor says of the kernel where it cannot ask.
 */
class ResponderDescriptorTests {

	@Test
	void withoutTheKernelsTablesTheViewSaysSoInsteadOfReportingZeros() {
		String json = JsonMapper.builder().build().writeValueAsString(ResponderDescriptor.KernelView.of(PortView.unavailable()));
		assertThat(json).isEqualTo("{\"available\":false}");
	}

}
