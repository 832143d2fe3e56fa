package io.tcpresponder.responder.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.tcpresponder.responder.server.ListenerStatus;
import io.tcpresponder.responder.server.ResponderState;
import io.tcpresponder.responder.server.ResponderStatus;
import io.tcpresponder.responder.server.TcpResponder;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * UP while the responder is listening on every address, DOWN otherwise (partly listening included), with the
 * state, the addresses, the last bind error, when the kernel frees the port ({@code freeAt}) where that is known, and
 * when {@code responder.retry-bind} binds again ({@code retryAt}).
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
		// When every FAILED listener's address is free: the latest freeAt, where each is known.
		List<Instant> freeAt = this.responder.listenerStatuses()
			.stream()
			.filter(ListenerStatus::failed)
			.map((listener) -> (listener.verdict() != null) ? listener.verdict().freeAt() : null)
			.toList();
		if (!freeAt.isEmpty() && freeAt.stream().allMatch(Objects::nonNull)) {
			builder.withDetail("freeAt", freeAt.stream().max(Instant::compareTo).orElseThrow());
		}
		Instant retryAt = this.responder.retryAt();
		if (retryAt != null) {
			builder.withDetail("retryAt", retryAt);
		}
	}

}
