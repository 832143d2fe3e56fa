package io.tcpresponder.responder.limit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.support.Actuator;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.JvmLaunch;
import io.tcpresponder.support.JvmProcess;
import io.tcpresponder.support.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile client against the service in a JVM of its own whose descriptor limit is lowered to 1,024 (prlimit,
 * soft and hard, so that the JVM cannot raise it), in client-first mode, where each connection is held until its
 * client closes: the client on 127.0.0.2 opens 1,500 connections that it never reads nor closes, and a well-behaved
 * client on 127.0.0.1 still gets every line. Every client resets its connection at the end (SO_LINGER 0), so that
 * none leaves TIME_WAIT sockets behind. The latencies of the well-behaved client, alone and beside the abuser,
 * go to {@code target/limits/} as figures, not as a test: a busy machine moves them.
 */
@EachTransport
class ConnectionLimitsAbuseTests {

	private static final int DESCRIPTORS = 1024;

	private static final int ABUSIVE_CONNECTIONS = 1500;

	private static final int GOOD_CONNECTIONS = 200;

	private static final Path FIGURES = Path.of("target", "limits", "abuse.txt");

	private final TransportChoice choice;

	@TempDir
	private Path directory;

	ConnectionLimitsAbuseTests(TransportChoice choice) {
		this.choice = choice;
	}

	@Test
	void anAbusiveClientNeverCostsAWellBehavedOneAConnection() throws IOException {
		Tools.assumeInstalled(Path.of("/usr/bin/prlimit"), "util-linux");
		try (JvmProcess service = JvmLaunch.application(this.directory)
			.prefix(List.of("prlimit", "--nofile=" + DESCRIPTORS + ":" + DESCRIPTORS, "--"))
			.arguments("--responder.transport=" + this.choice.name().toLowerCase(java.util.Locale.ROOT),
					"--responder.close-mode=client-first", "--responder.client-close-timeout=60s")
			.start()) {
			int port = service.awaitResponderPort();
			Actuator actuator = service.awaitReady();
			JsonNode limits = actuator.responder().get("limits");
			int perClient = limits.get("maxConnectionsPerClient").asInt();
			assertThat(limits.get("maxConnections").asInt()).as("derived from %d descriptors", DESCRIPTORS)
				.isBetween(1, DESCRIPTORS - 256);
			assertThat(perClient).isEqualTo(Math.max(1, limits.get("maxConnections").asInt() / 4));

			long[] alone = wellBehaved(port);
			List<Socket> abuser = new ArrayList<>();
			try {
				InetAddress from = InetAddress.ofLiteral("127.0.0.2");
				for (int i = 0; i < ABUSIVE_CONNECTIONS; i++) {
					abuser.add(Clients.connectFrom(from, port));
				}
				service.await("the abuser's connections all accepted, held or refused", () -> {
					JsonNode connections = actuator.responder().get("connections");
					return connections.get("accepted").asLong() == GOOD_CONNECTIONS + ABUSIVE_CONNECTIONS
							&& connections.get("active").asLong() == perClient;
				});
				long[] beside = wellBehaved(port);

				JsonNode state = actuator.responder();
				JsonNode connections = state.get("connections");
				assertThat(connections.get("refused").asLong()).isEqualTo(ABUSIVE_CONNECTIONS - perClient);
				assertThat(connections.get("accepted").asLong()).isEqualTo(connections.get("completed").asLong()
						+ connections.get("failed").asLong() + connections.get("refused").asLong()
						+ connections.get("active").asLong());
				assertThat(state.at("/limits/topClients/0/client").asString()).isEqualTo("127.0.0.2");
				assertThat(state.at("/limits/topClients/0/held").asInt()).isEqualTo(perClient);
				String metrics = actuator.get("/actuator/prometheus").body();
				assertThat(metrics).containsPattern("responder_connections_refused_total\\{[^}]*reason=\"max-connections-per-client\"[^}]*\\} "
						+ (ABUSIVE_CONNECTIONS - perClient) + "\\.0")
					.containsPattern("responder_connections_busiest_client_held\\{[^}]*\\} " + perClient + "\\.0");
				record(alone, beside, perClient, limits.get("maxConnections").asInt());
			}
			finally {
				// Reset: no TIME_WAIT left on 127.0.0.2 to block a later test's bind there.
				abuser.forEach(Clients::reset);
			}
			service.await("every connection ended", () -> actuator.responder().at("/connections/active").asLong() == 0);
			assertThat(service.log()).doesNotContain("EMFILE").doesNotContain("Too many open files");
		}
	}

	/**
	 * The well-behaved client's connections one after the other, each read to its line and closed: every one gets
	 * its line.
	 * @return the nanoseconds each took, sorted
	 */
	private static long[] wellBehaved(int port) {
		long[] nanos = new long[GOOD_CONNECTIONS];
		for (int i = 0; i < GOOD_CONNECTIONS; i++) {
			long start = System.nanoTime();
			assertThat(Clients.fetchLineAndReset(InetAddress.ofLiteral("127.0.0.1"), port)).isEqualTo(LINE);
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		return nanos;
	}

	private void record(long[] alone, long[] beside, int perClient, int maxConnections) throws IOException {
		Files.createDirectories(FIGURES.getParent());
		String line = String.format(java.util.Locale.ROOT,
				"%s: %d descriptors, max-connections %d, per client %d; well-behaved client p50 %.0f us, p99 %.0f us "
						+ "alone; p50 %.0f us, p99 %.0f us beside %d abusive connections (p99 ratio %.2f)%n",
				this.choice, DESCRIPTORS, maxConnections, perClient, micros(alone, 50), micros(alone, 99),
				micros(beside, 50), micros(beside, 99), ABUSIVE_CONNECTIONS, micros(beside, 99) / micros(alone, 99));
		Files.writeString(FIGURES, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	private static double micros(long[] sorted, int percentile) {
		int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
		return sorted[index] / 1e3;
	}

}
