package io.tcpresponder.responder.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

import io.tcpresponder.kernel.bind.BindVerdict;
import io.tcpresponder.responder.ResponderProcess;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.AccessLog;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.JvmLaunch;
import io.tcpresponder.support.JvmProcess;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.support.Transports;
import io.tcpresponder.transport.ListeningSocket;
import io.tcpresponder.transport.SocketOptions;
import io.tcpresponder.transport.Transport;
import io.tcpresponder.transport.linux.NativeTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A refused bind's verdict on real sockets, both transports: what holds the address, whether SO_REUSEADDR would help,
 * and {@code freeAt}, which the kernel keeps: the first bind that succeeds comes no later than the kernel's own
 * lateness after it (on a quiet machine, a few milliseconds before it), and in most trials a bind tried a second before
 * it is refused; in a few on a busy machine, {@code freeAt} is a bucket of the timer wheel late, never more. Every
 * scenario waits for the kernel's own timer (about 62 s), so all of them start at once, before the first test, and
 * each test reads its own; the figures of every trial (the clock, the binds a bucket and a second before
 * {@code freeAt}, the last refused bind and the first that succeeded, each against {@code freeAt}) go to
 * {@code target/bind-verdict-trials.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BindVerdictTests {

	private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

	private static final SocketOptions OFF = Responders.OPTIONS.withReuseAddress(false);

	private static final SocketOptions ON = Responders.OPTIONS.withReuseAddress(true);

	/** Trials of freeAt's accuracy per transport, beside the scenarios that also measure it. */
	private static final int TRIALS = 8;

	/**
	 * How late the kernel may remove a socket after its timer's moment on a busy machine: softirqs wait for a core. A
	 * bound of the kernel's, not of freeAt, which is told never before the timer's moment.
	 */
	private static final Duration KERNEL_LATENESS = Duration.ofSeconds(1);

	/** Bounds every wait: a failure, not a speed claim. The kernel's timer itself takes up to 62 s. */
	private static final Duration WAIT = Duration.ofMinutes(3);

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final List<TcpResponder> responders = new ArrayList<>();

	private final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();

	private final List<String> trials = new ArrayList<>();

	private final List<JvmProcess> processes = new ArrayList<>();

	static java.util.stream.Stream<TransportChoice> each() {
		return Transports.each();
	}

	@BeforeAll
	void startEveryScenario() throws IOException {
		KernelSockets.assumeAvailable();
		// The other process is started before any scenario opens a socket: a process the JVM starts holds a copy of
		// every descriptor the JVM has open until it has closed them, and NIO's sockets are not close-on-exec, so a
		// listener a scenario closes meanwhile would go on listening and refuse the scenario's bind.
		Map<TransportChoice, JvmProcess> others = new EnumMap<>(TransportChoice.class);
		for (TransportChoice choice : each().toList()) {
			JvmProcess other = JvmLaunch.mainClass(ResponderProcess.class)
				.jvmOptions("--enable-native-access=ALL-UNNAMED", "-Xmx64m")
				.arguments(choice.value(), "reuse-address-off")
				.log(Files.createTempFile("other-responder", ".txt"))
				.start();
			this.processes.add(other);
			others.put(choice, other);
		}
		for (TransportChoice choice : each().toList()) {
			Transport transport = Transports.load(choice);
			start(choice, "other-process", () -> leftByAnotherProcess(others.get(choice), transport));
			start(choice, "own-off", () -> ownListenerWithoutReuseAddress(transport));
			start(choice, "on-then-off", () -> onBeforeOffAfter(transport));
			start(choice, "retry", () -> retryBindsByItself(transport));
			start(choice, "specific-vs-wildcard", () -> specificAddressUnderAWildcardListener(transport));
			start(choice, "one-of-two", () -> oneOfTwoAddressesBlocked(transport));
			for (int i = 0; i < TRIALS; i++) {
				int delay = i;
				start(choice, "trial-" + i, () -> {
					// Spread over a bucket of the timer wheel (2 s at 250 ticks a second), so that trials fall in every
					// part of one.
					Thread.sleep(delay * 250L);
					return ownListenerWithoutReuseAddress(transport);
				});
			}
		}
	}

	@AfterAll
	void stopAndReport() throws IOException {
		this.processes.forEach(JvmProcess::close);
		this.responders.forEach((responder) -> responder.stop(Duration.ofSeconds(1)));
		this.threads.shutdownNow();
		Path report = Path.of("target", "bind-verdict-trials.txt");
		Files.createDirectories(report.getParent());
		synchronized (this.trials) {
			Files.write(report, this.trials);
		}
	}

	private void start(TransportChoice choice, String scenario, Scenario body) {
		this.outcomes.put(choice.value() + "/" + scenario, CompletableFuture.supplyAsync(() -> {
			try {
				return body.run();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}, this.threads));
	}

	private Outcome outcome(TransportChoice choice, String scenario) {
		return this.outcomes.get(choice.value() + "/" + scenario).join();
	}

	@ParameterizedTest
	@MethodSource("each")
	void timeWaitOfTheResponderWithoutReuseAddressRefusesEitherOptionUntilFreeAt(TransportChoice choice) {
		Outcome outcome = outcome(choice, "own-off");
		for (BindVerdict blockers : List.of(outcome.refusedOff(), outcome.refusedOn())) {
			assertThat(blockers.timeWait()).isEqualTo(3);
			assertThat(blockers.listeners() + blockers.others()).isZero();
			assertThat(blockers.reuseAddressWouldHelp()).isFalse();
			assertThat(blockers.freeAt()).isNotNull();
		}
		outcome.assertKeptToTheSecond();
	}

	@ParameterizedTest
	@MethodSource("each")
	void timeWaitOfTheResponderWithReuseAddressOnRefusesOnlyAListenerWithItOff(TransportChoice choice) {
		Outcome outcome = outcome(choice, "on-then-off");
		assertThat(outcome.refusedOff().timeWait()).isEqualTo(3);
		assertThat(outcome.refusedOff().reuseAddressWouldHelp()).isTrue();
		assertThat(outcome.boundWithOn()).as("SO_REUSEADDR on binds over them at once, as the verdict said").isTrue();
	}

	@ParameterizedTest
	@MethodSource("each")
	void aSpecificAddressIsBlockedByTheTimeWaitOfAWildcardListenerAndAnotherAddressIsNot(TransportChoice choice) {
		Outcome outcome = outcome(choice, "specific-vs-wildcard");
		assertThat(outcome.refusedOff().timeWait()).isEqualTo(3);
		assertThat(outcome.refusedOff().reuseAddressWouldHelp()).isFalse();
		assertThat(outcome.boundWithOn()).as("127.0.0.2 overlaps none of the sockets on 127.0.0.1").isTrue();
		outcome.assertKeptToTheSecond();
	}

	@ParameterizedTest
	@MethodSource("each")
	void timeWaitLeftByAnotherProcessSaysNotWhetherReuseAddressHelpsAndStillKeepsFreeAt(TransportChoice choice) {
		Outcome outcome = outcome(choice, "other-process");
		assertThat(outcome.refusedOff().timeWait()).isEqualTo(3);
		assertThat(outcome.refusedOff().reuseAddressWouldHelp()).as("the listener was another process's").isNull();
		outcome.assertKeptToTheSecond();
	}

	@ParameterizedTest
	@MethodSource("each")
	void ofTwoAddressesOnlyTheOneWithTimeWaitIsBlocked(TransportChoice choice) {
		Outcome outcome = outcome(choice, "one-of-two");
		assertThat(outcome.refusedOff().timeWait()).isEqualTo(3);
		assertThat(outcome.refusedOff().reuseAddressWouldHelp()).isFalse();
		assertThat(outcome.boundWithOn()).as("127.0.0.1 listens, with no verdict").isTrue();
		outcome.assertKeptToTheSecond();
	}

	@ParameterizedTest
	@MethodSource("each")
	void aListenerOfAnotherOwnerBlocksWithNoFreeAtAndAStopCancelsTheBackoffRetry(TransportChoice choice)
			throws IOException {
		Transport transport = Transports.load(choice);
		try (ServerSocket holder = new ServerSocket(0, 1, LOOPBACK)) {
			TcpResponder responder = Responders.newResponder(transport,
					Responders.settings(List.of(LOOPBACK), holder.getLocalPort(), ON), Clients.LINE,
					CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5), true, AccessLog.OFF);
			synchronized (this.responders) {
				this.responders.add(responder);
			}
			assertThatExceptionOfType(ResponderBindException.class).isThrownBy(responder::start);
			BindVerdict blockers = responder.listenerStatuses().getFirst().verdict();
			assertThat(blockers.listeners()).isEqualTo(1);
			assertThat(blockers.freeAt()).isNull();
			assertThat(blockers.reuseAddressWouldHelp()).isFalse();
			assertThat(blockers.holders()).singleElement().satisfies((owner) -> {
				assertThat(owner.pid()).isEqualTo(ProcessHandle.current().pid());
				assertThat(owner.inode()).isPositive();
				assertThat(owner.ownProcess()).isTrue();
			});
			assertThat(blockers.describe()).as("the verdict says the listener is this process's own")
				.contains("a listener of this very process");
			Instant retryAt = responder.retryAt();
			Instant failedAt = responder.listenerStatuses().getFirst().since();
			assertThat(retryAt).as("a backoff retry, with no time known").isNotNull();
			assertThat(Duration.between(failedAt, retryAt)).isBetween(BindRetry.FIRST_BACKOFF.minusMillis(100),
					BindRetry.FIRST_BACKOFF.plusMillis(100));
			responder.stop(Duration.ofSeconds(1));
			assertThat(responder.retryAt()).isNull();
			holder.close();
			await().during(BindRetry.FIRST_BACKOFF.plusSeconds(1))
				.atMost(WAIT)
				.until(() -> responder.status().state() == ResponderState.STOPPED);
		}
	}

	@ParameterizedTest
	@MethodSource("each")
	void retryBindBindsByItselfJustAfterFreeAtWithoutCountingARestart(TransportChoice choice) {
		Outcome outcome = outcome(choice, "retry");
		assertThat(outcome.retryAt()).isEqualTo(outcome.refusedOff().freeAt().plus(BindRetry.AFTER_FREE));
		assertThat(outcome.boundAt()).isAfterOrEqualTo(outcome.refusedOff().freeAt());
		assertThat(outcome.restarts()).as("succeeded, failed").containsExactly(0L, 1L);
	}

	@ParameterizedTest
	@MethodSource("each")
	void freeAtIsNeverEarlyAndWithinASecondOverManyTrials(TransportChoice choice) {
		int withinASecond = 0;
		for (int i = 0; i < TRIALS; i++) {
			withinASecond += outcome(choice, "trial-" + i).assertKeptToTheSecond() ? 1 : 0;
		}
		// A busy machine may hold a probe's thread past the second before freeAt now and then, and a verdict may tell
		// freeAt a bucket of the wheel late (docs/bind-oracle.md): most trials must still show freeAt within a second.
		assertThat(withinASecond).as("trials whose bind a second before freeAt was refused, of %d", TRIALS)
			.isGreaterThan(TRIALS / 2);
	}

	/**
	 * A responder without SO_REUSEADDR serves three clients and closes first; restarts with it off, then on, are
	 * refused; then the bind is tried until it succeeds.
	 */
	private Outcome ownListenerWithoutReuseAddress(Transport transport) throws Exception {
		TcpResponder responder = responder(transport, Responders.settings(List.of(LOOPBACK), 0, OFF), false);
		int port = serveThree(responder, LOOPBACK);
		BindVerdict off = refused(checkedRestart(responder, RestartMode.CLOSE_THEN_BIND, Responders.options((o) -> OFF)));
		BindVerdict on = refused(checkedRestart(responder, RestartMode.CLOSE_THEN_BIND, Responders.options((o) -> ON)));
		return Outcome.probed(transport, LOOPBACK, port, off, on, this.trials);
	}

	private Outcome onBeforeOffAfter(Transport transport) throws Exception {
		TcpResponder responder = responder(transport, Responders.settings(List.of(LOOPBACK), 0, ON), false);
		serveThree(responder, LOOPBACK);
		BindVerdict off = refused(checkedRestart(responder, RestartMode.CLOSE_THEN_BIND, Responders.options((o) -> OFF)));
		RestartResult on = checkedRestart(responder, RestartMode.CLOSE_THEN_BIND, Responders.options((o) -> ON));
		return new Outcome(off, null, on.bound(), null, null, List.of());
	}

	private Outcome specificAddressUnderAWildcardListener(Transport transport) throws Exception {
		TcpResponder responder = responder(transport, Responders.settings(List.of(), 0, OFF), false);
		int port = serveThree(responder, LOOPBACK);
		BindVerdict off = refused(checkedRestart(responder, RestartMode.CLOSE_THEN_BIND,
				(settings) -> Responders.settings(List.of(LOOPBACK), settings.port(), OFF)));
		RestartResult other = checkedRestart(responder, RestartMode.CLOSE_THEN_BIND,
				(settings) -> Responders.settings(List.of(InetAddress.ofLiteral("127.0.0.2")), settings.port(), OFF));
		responder.stop(Duration.ofSeconds(1));
		Outcome probed = Outcome.probed(transport, LOOPBACK, port, off, off, this.trials);
		return new Outcome(off, off, other.bound(), null, null, probed.probes());
	}

	/**
	 * Another process's responder, without SO_REUSEADDR, serves three clients and exits; this one cannot bind its
	 * port with SO_REUSEADDR on.
	 */
	private Outcome leftByAnotherProcess(JvmProcess other, Transport transport) throws Exception {
		int port = Integer.parseInt(other.awaitLog("^port (\\d+)$").group(1));
		for (int i = 0; i < 3; i++) {
			try (Socket client = Clients.connect(LOOPBACK, port)) {
				assertThat(Clients.readToEnd(client)).isEqualTo(Clients.LINE);
			}
		}
		other.closeInput();
		other.awaitExit();
		int otherPort = port;
		await().atMost(WAIT).until(() -> KernelSockets.count("time-wait", otherPort) == 3);
		TcpResponder responder = Responders.newResponder(transport, Responders.settings(List.of(), port, ON), Clients.LINE,
				CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5), false, AccessLog.OFF);
		synchronized (this.responders) {
			this.responders.add(responder);
		}
		RestartCheck check = responder.check(RestartMode.CLOSE_THEN_BIND, UnaryOperator.identity());
		ResponderBindException refused = org.junit.jupiter.api.Assertions.assertThrows(ResponderBindException.class,
				responder::start);
		BindVerdict blockers = refused.getFailures().getFirst().verdict();
		assertThat(blockers).isNotNull();
		assertThat(check.wouldBind()).as("the dry run before the start").isFalse();
		assertSameVerdict(check.listeners().getFirst().verdict(), blockers);
		return Outcome.probed(transport, LOOPBACK, port, blockers, blockers, this.trials);
	}

	private Outcome oneOfTwoAddressesBlocked(Transport transport) throws Exception {
		InetAddress second = InetAddress.ofLiteral("127.0.0.2");
		TcpResponder responder = responder(transport, Responders.settings(List.of(LOOPBACK, second), 0, OFF), false);
		int port = serveThree(responder, second);
		RestartResult result = checkedRestart(responder, RestartMode.CLOSE_THEN_BIND, Responders.options((o) -> OFF));
		assertThat(((RestartResult.BindFailed) result).address()).isEqualTo("127.0.0.2");
		BindVerdict off = refused(result);
		List<ListenerStatus> listeners = responder.listenerStatuses();
		boolean firstListens = listeners.get(0).listening() && listeners.get(0).verdict() == null
				&& listeners.get(1).failed();
		Outcome probed = Outcome.probed(transport, second, port, off, off, this.trials);
		return new Outcome(off, off, firstListens, null, null, probed.probes());
	}

	private Outcome retryBindsByItself(Transport transport) throws Exception {
		TcpResponder responder = responder(transport, Responders.settings(List.of(LOOPBACK), 0, OFF), true);
		serveThree(responder, LOOPBACK);
		BindVerdict off = refused(checkedRestart(responder, RestartMode.CLOSE_THEN_BIND, Responders.options((o) -> OFF)));
		Instant retryAt = responder.retryAt();
		await().atMost(WAIT).until(() -> responder.status().state() == ResponderState.LISTENING);
		Instant boundAt = responder.listenerStatuses().getFirst().since();
		assertThat(Clients.fetch(LOOPBACK, responder.settings().port())).isEqualTo(Clients.LINE);
		ConnectionCounts counts = responder.connections().counts();
		return new Outcome(off, null, true, retryAt, boundAt,
				List.of(new Probe(Instant.EPOCH, Instant.EPOCH, true)), List.of(counts.restarts(true), counts.restarts(false)));
	}

	/**
	 * Asks first what the restart would meet, then restarts: the prediction and the restart agree, whether it binds,
	 * and for a refused bind on what blocks it, whether SO_REUSEADDR would help and when the port frees.
	 */
	private static RestartResult checkedRestart(TcpResponder responder, RestartMode mode,
			UnaryOperator<ListenerSettings> change) {
		RestartCheck check = responder.check(mode, change);
		RestartResult result = responder.restart(mode, change);
		assertThat(check.wouldBind()).as("the dry run's wouldBind against the restart's %s", result)
			.isEqualTo(result.bound());
		if (result instanceof RestartResult.BindFailed failed) {
			RestartCheck.Listener predicted = check.listeners()
				.stream()
				.filter((listener) -> listener.address().equals(failed.address()))
				.findFirst()
				.orElseThrow();
			assertThat(predicted.wouldBind()).isFalse();
			assertSameVerdict(predicted.verdict(), failed.verdict());
		}
		return result;
	}

	static void assertSameVerdict(BindVerdict predicted, BindVerdict met) {
		assertThat(predicted.timeWait()).as("TIME_WAIT blockers").isEqualTo(met.timeWait());
		assertThat(predicted.listeners()).as("listening blockers").isEqualTo(met.listeners());
		assertThat(predicted.others()).as("other blockers").isEqualTo(met.others());
		assertThat(predicted.reuseAddressWouldHelp()).as("reuseAddressWouldHelp").isEqualTo(met.reuseAddressWouldHelp());
		if (met.freeAt() == null) {
			assertThat(predicted.freeAt()).isNull();
		}
		else {
			// Each is told from a reading of the kernel's tables and clock of its own, a few milliseconds apart. A timer
			// that expires within a tick of a wheel bucket's edge may be told on either side of it by two readings: one
			// bucket apart (2.048 s at HZ 250, 8.192 s at HZ 1000), both never early.
			Duration apart = Duration.between(predicted.freeAt(), met.freeAt()).abs();
			assertThat(apart.compareTo(Duration.ofMillis(50)) < 0
					|| (apart.compareTo(Duration.ofMillis(2000)) > 0 && apart.compareTo(Duration.ofMillis(8250)) < 0))
				.as("freeAt %s apart", apart)
				.isTrue();
		}
	}

	private TcpResponder responder(Transport transport, ListenerSettings settings, boolean retryBind) {
		TcpResponder responder = Responders.newResponder(transport, settings, Clients.LINE, CloseMode.SERVER_FIRST,
				Duration.ofSeconds(5), Duration.ofSeconds(5), retryBind, AccessLog.OFF);
		synchronized (this.responders) {
			this.responders.add(responder);
		}
		responder.start();
		return responder;
	}

	/**
	 * Three clients read the line to its end, then close: the server closed first, so TIME_WAIT is on its side.
	 */
	private static int serveThree(TcpResponder responder, InetAddress address) throws IOException {
		int port = responder.settings().port();
		for (int i = 0; i < 3; i++) {
			try (Socket client = Clients.connect(address, port)) {
				assertThat(Clients.readToEnd(client)).isEqualTo(Clients.LINE);
			}
		}
		await().atMost(WAIT).until(() -> KernelSockets.count("time-wait", port) == 3);
		return port;
	}

	private static BindVerdict refused(RestartResult result) {
		assertThat(result).isInstanceOf(RestartResult.BindFailed.class);
		RestartResult.BindFailed failed = (RestartResult.BindFailed) result;
		assertThat(failed.error().code()).isEqualTo("EADDRINUSE");
		assertThat(failed.verdict()).isNotNull();
		return failed.verdict();
	}

	@FunctionalInterface
	private interface Scenario {

		Outcome run() throws Exception;

	}

	/**
	 * A bind tried, and whether it bound: the kernel took it between {@code at} and {@code done}, which a busy machine
	 * may hold apart by holding the thread.
	 */
	record Probe(Instant at, Instant done, boolean bound) {
	}

	/**
	 * What a scenario saw.
	 */
	record Outcome(BindVerdict refusedOff, BindVerdict refusedOn, boolean boundWithOn, Instant retryAt, Instant boundAt,
			List<Probe> probes, List<Long> restarts) {

		Outcome(BindVerdict refusedOff, BindVerdict refusedOn, boolean boundWithOn, Instant retryAt, Instant boundAt,
				List<Probe> probes) {
			this(refusedOff, refusedOn, boundWithOn, retryAt, boundAt, probes, List.of());
		}

		/**
		 * Tries the bind with SO_REUSEADDR off a second before the wheel's bucket before {@code freeAt}, a second
		 * before {@code freeAt}, then every millisecond from 50 ms before it, and every 20 ms from 50 ms after it, until
		 * one binds.
		 */
		static Outcome probed(Transport transport, InetAddress address, int port, BindVerdict off, BindVerdict on,
				List<String> trials) throws InterruptedException {
			Instant freeAt = off.freeAt();
			assertThat(freeAt).as("freeAt of %s", off).isNotNull();
			List<Probe> probes = new ArrayList<>();
			sleepUntil(freeAt.minus(wheelBucket()).minusSeconds(1));
			probes.add(tryBind(transport, address, port));
			sleepUntil(freeAt.minusSeconds(1));
			probes.add(tryBind(transport, address, port));
			sleepUntil(freeAt.minusMillis(50));
			while (probes.getLast().at().isBefore(freeAt.plusSeconds(5)) && !probes.getLast().bound()) {
				probes.add(tryBind(transport, address, port));
				Thread.sleep(probes.getLast().at().isBefore(freeAt.plusMillis(50)) ? 1 : 20);
			}
			Probe first = probes.stream().filter(Probe::bound).findFirst().orElse(null);
			Probe lastRefused = probes.stream().filter((probe) -> !probe.bound()).reduce((a, b) -> b).orElse(null);
			synchronized (trials) {
				trials.add(transport.name() + " port " + port + " clock " + off.clock() + " freeAt " + freeAt
						+ " a bucket before " + (probes.get(0).bound() ? "bound" : "refused") + ", probe a second before "
						+ Duration.between(freeAt, probes.get(1).at()).toMillis() + ".."
						+ Duration.between(freeAt, probes.get(1).done()).toMillis() + " ms "
						+ (probes.get(1).bound() ? "bound" : "refused") + ", last refused "
						+ ((lastRefused != null) ? Duration.between(freeAt, lastRefused.at()).toMillis() + " ms" : "none")
						+ ", first bind " + ((first != null) ? Duration.between(freeAt, first.at()).toMillis() + ".."
								+ Duration.between(freeAt, first.done()).toMillis() + " ms after freeAt" : "none within 5 s"));
			}
			return new Outcome(off, on, false, null, null, probes);
		}

		private static void sleepUntil(Instant moment) throws InterruptedException {
			long millis = Duration.between(Instant.now(), moment).toMillis();
			if (millis > 0) {
				// The moment is the kernel's own, told by freeAt: there is no condition to wait on before it.
				Thread.sleep(millis);
			}
		}

		private static Probe tryBind(Transport transport, InetAddress address, int port) {
			Instant at = Instant.now();
			try {
				ListeningSocket socket = transport.listen(OFF, address, port);
				socket.shutdown();
				socket.close();
				return new Probe(at, Instant.now(), true);
			}
			catch (IOException ex) {
				return new Probe(at, Instant.now(), false);
			}
		}

		/**
		 * Holds the trial to what the kernel guarantees: a bind tried after {@code freeAt} and the kernel's own lateness
		 * binds ({@code freeAt} is never early), and the port frees; where a clock was read, a bind the kernel took well
		 * before the wheel's bucket before {@code freeAt} is refused ({@code freeAt} is at most a bucket late). Where no
		 * kernel clock could be read, {@code freeAt} is only the latest the timer may take, and only "never early"
		 * holds.
		 * @return whether the trial showed {@code freeAt} within a second: a clock was read, and the bind a second
		 * before {@code freeAt}, done well before it, was refused
		 */
		boolean assertKeptToTheSecond() {
			Instant freeAt = this.refusedOff.freeAt();
			boolean clocked = this.refusedOff.clock() != null;
			Instant early = freeAt.minusMillis(500);
			if (clocked) {
				assertThat(this.probes).filteredOn((probe) -> probe.done().isBefore(early.minus(wheelBucket())))
					.as("binds well before the bucket before freeAt %s", freeAt)
					.noneMatch(Probe::bound);
			}
			assertThat(this.probes).filteredOn((probe) -> !probe.at().isBefore(freeAt.plus(KERNEL_LATENESS)))
				.as("binds a second and more after freeAt %s", freeAt)
				.allMatch(Probe::bound);
			assertThat(this.probes).as("the port frees within 5 s of freeAt %s", freeAt).anyMatch(Probe::bound);
			Probe aSecondBefore = this.probes.get(1);
			return clocked && aSecondBefore.done().isBefore(early) && !aSecondBefore.bound();
		}

		/**
		 * The span of the timer wheel's bucket that holds a 60 s timer ({@code TimerWheel}): 512 ticks, 4,096 at
		 * 1000 a second, where 60 s reach the next level.
		 */
		private static Duration wheelBucket() {
			long hz = 1_000_000_000L / NativeTransport.tickNanos();
			return Duration.ofMillis(((60 * hz >= 32_256) ? 4_096 : 512) * 1000 / hz);
		}

	}

}
