package io.tcpresponder.responder;

import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.stream.Collectors;

import io.tcpresponder.kernel.bind.BindVerdict;
import io.tcpresponder.responder.server.ListenerSettings;
import io.tcpresponder.responder.server.ResponderBindException;
import io.tcpresponder.transport.KernelError;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a listener that could not be bound at startup ({@code responder.fail-fast}) as Spring Boot reports a web
 * server's port in use: each address that failed, the port and the kernel's error, and what to do, in place of a
 * stack trace.
 * For {@code EADDRINUSE} it tells what held the address, as the bind's verdict found it just after the refusal: a
 * listener of another process, or sockets that go away by themselves, and then when a start would bind and whether
 * SO_REUSEADDR would.
 */
class ResponderBindFailureAnalyzer extends AbstractFailureAnalyzer<ResponderBindException> {

	private static final String OR_START_FAILED = "Or set responder.fail-fast=false: the application then starts "
			+ "with the responder FAILED (or PARTIALLY_LISTENING, on the addresses that did bind), and "
			+ "POST /actuator/responder/restart binds it once the port is free.";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ResponderBindException cause) {
		ListenerSettings settings = cause.getSettings();
		KernelError error = cause.getError();
		StringBuilder description = new StringBuilder(cause.getFailures()
			.stream()
			.map((failure) -> "%s port %d: %s (%s)".formatted(failure.address(), settings.port(),
					failure.error().code(), failure.error().message()))
			.collect(Collectors.joining("; on ", "The TCP responder could not listen on ", ".")));
		String action = switch (error.known()) {
			case EADDRINUSE -> inUse(cause, description);
			case EACCES -> "Ports below 1024 are privileged (net.ipv4.ip_unprivileged_port_start): set "
					+ "responder.port to 1024 or more, or give the process CAP_NET_BIND_SERVICE.";
			case EADDRNOTAVAIL -> "Set responder.bind-addresses to addresses of this host, or leave it empty to "
					+ "listen on every address.";
			case null, default -> "Check responder.bind-addresses and responder.port.";
		};
		return new FailureAnalysis(description.toString(), String.format("%s%n%n%s", action, OR_START_FAILED), cause);
	}

	private String inUse(ResponderBindException cause, StringBuilder description) {
		ListenerSettings settings = cause.getSettings();
		int port = settings.port();
		boolean several = settings.addresses().size() > 1;
		String anotherPort = "choose another port with responder.port"
				+ (several ? ", or leave the address out of responder.bind-addresses." : ".");
		if (several && settings.addresses().stream().anyMatch(InetAddress::isAnyLocalAddress)) {
			description.append(" responder.bind-addresses has a wildcard address beside others.");
			return "On Linux a wildcard address (0.0.0.0 or ::) and another address on the same port refuse each "
					+ "other (EADDRINUSE, even with SO_REUSEADDR): list either the wildcard or specific addresses in "
					+ "responder.bind-addresses.";
		}
		BindVerdict blockers = cause.getFailures()
			.stream()
			.map(ResponderBindException.Failure::verdict)
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(BindVerdict.none());
		description.append(" The kernel shows it ").append(blockers.describe()).append('.');
		if (blockers.listeners() > 0) {
			return "Stop the process that listens on port %d (ss -ltnp 'sport = :%d' names it), or %s"
				.formatted(port, port, anotherPort);
		}
		Instant freeAt = blockers.freeAt();
		String option = Boolean.TRUE.equals(blockers.reuseAddressWouldHelp())
				? " Or set responder.reuse-address=true: the listener that left them had SO_REUSEADDR on too, so it "
						+ "binds over them now."
				: (Boolean.FALSE.equals(blockers.reuseAddressWouldHelp()) && blockers.timeWait() > 0)
						? " responder.reuse-address=true would not help: the listener that left them ran without "
								+ "SO_REUSEADDR, and a TIME_WAIT socket keeps its listener's option."
						: (blockers.reuseAddressWouldHelp() == null && !settings.options().reuseAddress())
								? " Or set responder.reuse-address=true, which binds over them only if the listener "
										+ "that left them, not this process's, had SO_REUSEADDR on too."
								: "";
		if (freeAt != null) {
			return ("A start at or after %s (in %d s), when the kernel removes them, binds port %d; or %s%s")
				.formatted(freeAt.truncatedTo(ChronoUnit.MILLIS),
						BindVerdict.secondsUntil(freeAt, Instant.now()), port, anotherPort, option);
		}
		if (blockers.timeWait() + blockers.others() > 0) {
			return "Wait for the connections on port %d to end (ss -tanp 'sport = :%d' shows them), or %s%s"
				.formatted(port, port, anotherPort, option);
		}
		return "Free port %d (ss -tanp 'sport = :%d' shows what holds it), or %s".formatted(port, port, anotherPort);
	}

}
