package io.tcpresponder.responder;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * UP while the responder is listening on every address, DOWN otherwise (partly listening included), with the
 * state, the addresses, and the last bind error.
 */
class ResponderHealthIndicator extends AbstractHealthIndicator {

	private final TcpResponder responder;

	ResponderHealthIndicator(TcpResponder responder) {
		super("TCP responder health check failed");
		this.responder = responder;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ResponderStatus status = this.responder.status();
		builder.status((status.state() == ResponderState.LISTENING) ? Status.UP : Status.DOWN);
		builder.withDetail("state", status.state())
			.withDetail("address", status.address())
			.withDetail("port", this.responder.settings().port());
		if (status.lastError() != null) {
			builder.withDetail("lastError", status.lastError());
		}
	}

}
