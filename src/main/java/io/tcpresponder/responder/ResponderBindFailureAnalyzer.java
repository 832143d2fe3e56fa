package io.tcpresponder.responder;

import java.net.InetAddress;
import java.time.Duration;
import java.util.stream.Collectors;

import io.tcpresponder.kernel.KernelTcpView;
import io.tcpresponder.kernel.PortView;
import io.tcpresponder.kernel.TcpState;
import io.tcpresponder.transport.KernelError;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a listener that could not be bound at startup ({@code responder.fail-fast}) as Spring Boot reports a web
 * server's port in use: each address that failed, the port and the kernel's error, and what to do, in place of a
 * stack trace.
 * For {@code EADDRINUSE} the kernel's view of the port tells a listener of another process from TIME_WAIT sockets
 * left by an earlier one, since what helps differs.
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
		String action = switch (error.code()) {
			case "EADDRINUSE" -> inUse(settings, description);
			case "EACCES" -> "Ports below 1024 are privileged (net.ipv4.ip_unprivileged_port_start): set "
					+ "responder.port to 1024 or more, or give the process CAP_NET_BIND_SERVICE.";
			case "EADDRNOTAVAIL" -> "Set responder.bind-addresses to addresses of this host, or leave it empty to "
					+ "listen on every address.";
			default -> "Check responder.bind-addresses and responder.port.";
		};
		return new FailureAnalysis(description.toString(), String.format("%s%n%n%s", action, OR_START_FAILED), cause);
	}

	private String inUse(ListenerSettings settings, StringBuilder description) {
		int port = settings.port();
		PortView view = new KernelTcpView(Duration.ofSeconds(1), () -> settings.options().backlog()).read(port);
		long listeners = view.count(TcpState.LISTEN);
		long timeWait = view.count(TcpState.TIME_WAIT);
		boolean several = settings.addresses().size() > 1;
		String anotherPort = "choose another port with responder.port"
				+ (several ? ", or leave the address out of responder.bind-addresses." : ".");
		if (several && settings.addresses().stream().anyMatch(InetAddress::isAnyLocalAddress)) {
			description.append(" responder.bind-addresses has a wildcard address beside others.");
			return "On Linux a wildcard address (0.0.0.0 or ::) and another address on the same port refuse each "
					+ "other (EADDRINUSE, even with SO_REUSEADDR): list either the wildcard or specific addresses in "
					+ "responder.bind-addresses.";
		}
		if (listeners > 0) {
			description.append(" The kernel shows %s on port %d.".formatted(sockets(listeners, "listening "), port));
			return "Stop the process that listens on port %d (ss -ltnp 'sport = :%d' names it), or %s"
				.formatted(port, port, anotherPort);
		}
		if (timeWait > 0) {
			description.append(" The kernel shows no listener on port %d but %s in TIME_WAIT, left by the connections "
				.formatted(port, sockets(timeWait, "")) + "of an earlier listener.");
			String expire = "Wait up to 60 seconds for them to expire, ";
			if (settings.options().reuseAddress()) {
				return expire + "or " + anotherPort + " With responder.reuse-address=true, they block the port only "
						+ "when the listener that accepted them ran without SO_REUSEADDR.";
			}
			return expire + "or set responder.reuse-address=true, which binds over them if the listener that "
					+ "accepted them had SO_REUSEADDR on too (the default), or " + anotherPort;
		}
		return "Free port %d (ss -tanp 'sport = :%d' shows what holds it), or %s".formatted(port, port, anotherPort);
	}

	private static String sockets(long count, String kind) {
		return count + " " + kind + ((count == 1) ? "socket" : "sockets");
	}

}
