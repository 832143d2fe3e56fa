package io.tcpresponder.responder.connection;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpresponder.responder.ResponderProcess;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.JvmLaunch;
import io.tcpresponder.support.JvmProcess;
import io.tcpresponder.support.Load;
import io.tcpresponder.support.Tools;
import io.tcpresponder.support.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system calls the accept thread makes per connection, counted by strace on a responder in a process of its own
 * ({@link ResponderProcess}): the native transport makes accept4, write and close, as the C server does, and nothing
 * else; NIO adds the JDK's fcntl and two getsockname calls to every accept.
 */
class AcceptSyscallsTests {

	private static final Path STRACE = Path.of("/usr/bin/strace");

	private static final int CONNECTIONS = 3000;

	private static final List<String> EXTRA_CALLS = List.of("fcntl", "getsockname", "getsockopt", "setsockopt", "ioctl");

	private static final byte[] LINE = Clients.LINE.getBytes(StandardCharsets.UTF_8);

	/** A call starts a line of strace -f -o: the thread's id, the call's name, its arguments. */
	private static final Pattern CALL = Pattern.compile("^(\\d+)\\s+(\\w+)\\(");

	@TempDir
	Path dir;

	@Test
	void nativeAcceptThreadMakesAccept4WriteAndCloseAndNothingElse() throws Exception {
		Transports.load(TransportChoice.NATIVE);
		Map<String, Long> calls = acceptThreadCalls("native");
		assertThat(calls.getOrDefault("accept4", 0L)).isGreaterThanOrEqualTo(CONNECTIONS);
		assertThat(calls.getOrDefault("write", 0L)).isGreaterThanOrEqualTo(CONNECTIONS);
		assertThat(calls.getOrDefault("close", 0L)).isGreaterThanOrEqualTo(CONNECTIONS);
		for (String call : EXTRA_CALLS) {
			assertThat(calls.getOrDefault(call, 0L)).as(call + " on the accept thread: " + calls).isZero();
		}
	}

	@Test
	void nioAcceptThreadAddsTheJdksCallsToEveryConnection() throws Exception {
		Map<String, Long> calls = acceptThreadCalls("nio");
		assertThat(calls.getOrDefault("fcntl", 0L)).as(calls.toString()).isGreaterThanOrEqualTo(CONNECTIONS);
		assertThat(calls.getOrDefault("getsockname", 0L)).as(calls.toString()).isGreaterThanOrEqualTo(2L * CONNECTIONS);
	}

	/**
	 * Runs a responder on the given transport under strace, serves {@link #CONNECTIONS} clients, stops it, and counts
	 * the calls of its accept thread: the thread that made the accepts.
	 */
	private Map<String, Long> acceptThreadCalls(String transport) throws Exception {
		Tools.assumeInstalled(STRACE, "strace");
		Path trace = this.dir.resolve("strace.txt");
		List<String> strace = List.of(STRACE.toString(), "-f", "-qq", "--seccomp-bpf", "-o", trace.toString(), "-e",
				"trace=accept,accept4,write,close," + String.join(",", EXTRA_CALLS));
		try (JvmProcess responder = JvmLaunch.mainClass(ResponderProcess.class)
			.prefix(strace)
			.jvmOptions("--enable-native-access=ALL-UNNAMED", "-Xmx128m")
			.arguments(transport)
			.log(this.dir.resolve("output.txt"))
			.start()) {
			int port = Integer.parseInt(responder.awaitLog("^port (\\d+)$").group(1));
			for (int i = 0; i < CONNECTIONS; i++) {
				Load.Reception reception = Load.receive(port, LINE, 10_000, 10_000);
				assertThat(reception).as("connection " + i).isEqualTo(Load.Reception.WHOLE);
			}
			responder.closeInput();
			assertThat(responder.awaitLog("^accepted (.*)$").group(1))
				.startsWith(CONNECTIONS + " completed " + CONNECTIONS);
			responder.awaitExit();
		}
		Map<String, Map<String, Long>> byThread = new HashMap<>();
		try (var lines = Files.lines(trace)) {
			lines.forEach((line) -> {
				Matcher call = CALL.matcher(line);
				if (call.find()) {
					byThread.computeIfAbsent(call.group(1), (tid) -> new HashMap<>()).merge(call.group(2), 1L, Long::sum);
				}
			});
		}
		Map<String, Long> acceptor = byThread.values()
			.stream()
			.max((a, b) -> Long.compare(accepts(a), accepts(b)))
			.orElseThrow();
		System.out.println("FIGURES " + getClass().getSimpleName() + " transport=" + transport + " connections="
				+ CONNECTIONS + " acceptThreadCalls=" + acceptor);
		return acceptor;
	}

	private static long accepts(Map<String, Long> calls) {
		return calls.getOrDefault("accept", 0L) + calls.getOrDefault("accept4", 0L);
	}

}
