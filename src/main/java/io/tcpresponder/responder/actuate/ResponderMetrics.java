package io.tcpresponder.responder.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tcpresponder.metrics.ScrapeScope;
import io.tcpresponder.responder.connection.AccessLog;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.connection.FailureReason;
import io.tcpresponder.responder.limit.Admission;
import io.tcpresponder.responder.limit.Refusal;
import io.tcpresponder.responder.proxy.HeaderCounts;
import io.tcpresponder.responder.proxy.HeaderOutcome;
import io.tcpresponder.responder.server.ListenerStatus;
import io.tcpresponder.responder.server.TcpResponder;

/**
 * Meters under {@code responder.} that read the responder's own counts; nothing is counted twice. Connection
 * meters carry no unit: Prometheus names them {@code responder_connections_accepted_total} and so on.
 *
 * <p>
 * The connection meters read one {@link ConnectionCounts.Reading} per scrape, so that every scrape shows
 * accepted = completed + failed + refused + active, as {@code GET /actuator/responder} does. What the connection
 * limits hold has no series per client: the busiest client's count stands for them.
 */
class ResponderMetrics implements MeterBinder {

	private final TcpResponder responder;

	ResponderMetrics(TcpResponder responder) {
		this.responder = responder;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ConnectionCounts counts = this.responder.connections().counts();
		// Meters hold their object weakly, and the counts are what keeps living; the lambdas hold the reading.
		Supplier<ConnectionCounts.Reading> connections = ScrapeScope.oncePerScrape(counts::read);
		FunctionCounter.builder("responder.connections.accepted", counts, (c) -> connections.get().accepted())
			.description("Connections accepted by the TCP responder")
			.register(registry);
		FunctionCounter.builder("responder.connections.completed", counts, (c) -> connections.get().completed())
			.description("Connections that received the whole line and were closed by the responder")
			.register(registry);
		for (FailureReason reason : FailureReason.values()) {
			FunctionCounter.builder("responder.connections.failed", counts, (c) -> connections.get().failed(reason))
				.description("Connections that ended without the whole line, by reason")
				.tag("reason", reason.tag())
				.register(registry);
		}
		for (Refusal reason : Refusal.values()) {
			FunctionCounter.builder("responder.connections.refused", counts, (c) -> connections.get().refused(reason))
				.description("Connections over a connection limit, reset before the line, by the limit")
				.tag("reason", reason.value())
				.register(registry);
		}
		HeaderCounts headers = this.responder.connections().headerCounts();
		for (HeaderOutcome outcome : HeaderOutcome.values()) {
			FunctionCounter.builder("responder.proxy.headers", headers, (h) -> h.count(outcome))
				.description("Connections' PROXY protocol headers by outcome: v1 and v2 naming a client, local naming "
						+ "none, invalid and timeout closed without the line, untrusted-without-header served as direct")
				.tag("outcome", outcome.tag())
				.register(registry);
		}
		Admission admission = this.responder.connections().admission();
		Gauge.builder("responder.connections.held", admission, (a) -> a.held(0).connections())
			.description("Connections held against the connection limits")
			.register(registry);
		Gauge.builder("responder.connections.limit", admission, (a) -> a.limits().maxConnections())
			.description("Connections the responder holds at once at most (responder.limits.max-connections)")
			.register(registry);
		Gauge.builder("responder.connections.client.limit", admission, (a) -> a.limits().maxConnectionsPerClient())
			.description("Connections one client holds at once at most (responder.limits.max-connections-per-client; "
					+ "0 for no such limit)")
			.register(registry);
		Gauge.builder("responder.connections.clients", admission, (a) -> a.held(0).clients())
			.description("Clients (addresses, or networks by the prefixes of the limits) holding connections")
			.register(registry);
		Gauge.builder("responder.connections.busiest.client.held", admission, Admission::busiestClient)
			.description("Connections held by the client that holds the most")
			.register(registry);
		FunctionCounter.builder("responder.access.log.dropped", this.responder.connections().accessLog(), AccessLog::dropped)
			.description("Access log lines dropped because the log's writer was a queue's length behind")
			.register(registry);
		FunctionCounter.builder("responder.connections.client.close.timeouts", counts, ConnectionCounts::clientCloseTimeouts)
			.description("Connections in client-first mode closed by the server because the client did not close in time")
			.register(registry);
		Gauge.builder("responder.connections.active", counts, (c) -> connections.get().active())
			.description("Connections accepted and not yet ended")
			.register(registry);
		FunctionCounter.builder("responder.written", counts, ConnectionCounts::bytesWritten)
			.description("Bytes of the line written to clients")
			.baseUnit(BaseUnits.BYTES)
			.register(registry);
		for (boolean succeeded : new boolean[] { true, false }) {
			FunctionCounter.builder("responder.restarts", counts, (c) -> c.restarts(succeeded))
				.description("Restarts of the TCP listener, by outcome")
				.tag("outcome", succeeded ? "succeeded" : "failed")
				.register(registry);
		}
		FunctionCounter.builder("responder.restart.checks", counts, ConnectionCounts::restartChecks)
			.description("Restarts asked for with dryRun: what they would meet, told, and nothing closed")
			.register(registry);
		MultiGauge listening = MultiGauge.builder("responder.listening")
			.description("Whether the TCP listener of each configured address is bound and accepting (1) or not (0)")
			.register(registry);
		registerListening(listening);
		this.responder.onAddressesChanged(() -> registerListening(listening));
		MultiGauge untilFree = MultiGauge.builder("responder.listener.until.free")
			.description("Seconds until the kernel frees the address of a FAILED listener refused with EADDRINUSE "
					+ "(0 once free); absent while it listens, and where no such time is known")
			.baseUnit("seconds")
			.register(registry);
		registerUntilFree(untilFree);
		this.responder.onStatusChanged(() -> registerUntilFree(untilFree));
	}

	/**
	 * One row per FAILED listener with a known {@code freeAt}, replaced whenever a listener's state may change.
	 */
	private void registerUntilFree(MultiGauge untilFree) {
		untilFree.register(this.responder.listenerStatuses()
			.stream()
			.filter((status) -> status.failed() && status.verdict() != null && status.verdict().freeAt() != null)
			.map((status) -> {
				Instant freeAt = status.verdict().freeAt();
				return MultiGauge.Row.of(Tags.of("address", status.address()), freeAt,
						(at) -> Math.max(0, Duration.between(Instant.now(), at).toMillis() / 1000.0));
			})
			.toList(), true);
	}

	/**
	 * One row per configured address; a restart that changes the addresses replaces the rows.
	 */
	private void registerListening(MultiGauge listening) {
		listening.register(this.responder.listenerStatuses()
			.stream()
			.map(ListenerStatus::address)
			.map((address) -> MultiGauge.Row.of(Tags.of("address", address), this.responder,
					(responder) -> listening(responder, address)))
			.toList(), true);
	}

	private static double listening(TcpResponder responder, String address) {
		return responder.listenerStatuses()
			.stream()
			.anyMatch((status) -> status.address().equals(address) && status.listening()) ? 1 : 0;
	}

}
