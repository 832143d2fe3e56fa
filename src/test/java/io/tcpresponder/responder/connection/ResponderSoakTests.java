package io.tcpresponder.responder.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.server.Responders;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.Load;
import io.tcpresponder.support.ProcessResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Continuous load for minutes ({@code mvn -Psoak test -Dsoak.minutes=10}; not in the default run) on the native
 * transport, the one production runs on Linux: open file descriptors, threads and the heap after a collection stay
 * flat, and every count adds up at the end.
 */
@Tag("soak")
class ResponderSoakTests {

	private static final int CLIENTS = 16;

	private static final long MIB = 1024 * 1024;

	private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

	@RegisterExtension
	final Responders responders = new Responders(TransportChoice.NATIVE);

	private TcpResponder responder;

	@AfterEach
	void stop() {
		this.sampler.shutdownNow();
	}

	@Test
	void continuousLoadLeavesFileDescriptorsThreadsAndHeapFlat() throws Exception {
		ProcessResources.assumeAvailable();
		double minutes = Double.parseDouble(System.getProperty("soak.minutes", "10"));
		long sampleSeconds = Long.getLong("soak.sample-seconds", 30);
		long soakNanos = Math.round(minutes * 60e9);
		this.responder = this.responders.start(Responders.anyPort(), LINE,
				CloseMode.SERVER_FIRST, Duration.ofSeconds(5), Duration.ofSeconds(5));
		int port = this.responder.settings().port();

		// Warm-up: the JIT, the JDK's socket classes, the heap's working set.
		try (Load warmUp = Load.start(port, LINE, CLIENTS, Clients.TIMEOUT_MILLIS)) {
			await().atMost(Duration.ofMinutes(2)).until(() -> warmUp.attempts() >= 30_000);
			assertThat(warmUp.stop().partial()).isZero();
		}
		awaitQuiet();
		Sample baseline = sample(0, 0, 0);
		List<Sample> samples = new ArrayList<>();
		samples.add(baseline);

		long acceptedAtStart = this.responder.connections().counts().accepted();
		long started = System.nanoTime();
		Load load = Load.start(port, LINE, CLIENTS, Clients.TIMEOUT_MILLIS);
		CountDownLatch done = new CountDownLatch(1);
		this.sampler.scheduleAtFixedRate(() -> {
			long elapsed = System.nanoTime() - started;
			long accepted = this.responder.connections().counts().accepted() - acceptedAtStart;
			Sample previous = samples.get(samples.size() - 1);
			samples.add(sample(elapsed, accepted,
					Math.round((accepted - previous.connections()) * 1e9 / (elapsed - previous.nanos()))));
			if (elapsed >= soakNanos) {
				done.countDown();
			}
		}, sampleSeconds, sampleSeconds, TimeUnit.SECONDS);
		boolean finished = done.await(soakNanos + TimeUnit.SECONDS.toNanos(sampleSeconds * 2 + 60),
				TimeUnit.NANOSECONDS);
		this.sampler.shutdown();
		assertThat(this.sampler.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
		Load.Outcomes outcomes = load.stop();
		long tookNanos = System.nanoTime() - started;
		assertThat(finished).as("the soak ran its course").isTrue();

		awaitQuiet();
		ConnectionCounts.Snapshot counts = this.responder.connections().counts().snapshot();
		assertThat(outcomes.partial()).as("clients that received part of the line").isZero();
		assertThat(this.responder.connections().counts().failed()).as("failed connections").isZero();
		assertThat(counts.accepted()).isEqualTo(counts.completed() + counts.failed());
		// Closes are synchronous, and the threads of the load are joined: both are back at once, or very nearly.
		settles(() -> ProcessResources.openFileDescriptors() == baseline.fds());
		settles(() -> ProcessResources.liveThreads() == baseline.threads());
		Sample end = sample(tookNanos, counts.accepted() - acceptedAtStart, 0);
		samples.add(end);

		System.out.println("SOAK " + minutes + " min, " + CLIENTS + " clients, sampled every " + sampleSeconds + " s");
		System.out.println(String.format("SOAK %8s %12s %9s %5s %8s %16s %14s", "elapsed", "connections", "conn/s",
				"fds", "threads", "responderThreads", "heapAfterGcMiB"));
		for (int i = 0; i < samples.size(); i++) {
			Sample s = samples.get(i);
			String label = (i == 0) ? "baseline" : (i == samples.size() - 1) ? "end" : (s.nanos() / 1_000_000_000) + "s";
			System.out.println(String.format("SOAK %8s %12d %9d %5d %8d %16d %14.1f", label, s.connections(),
					s.perSecond(), s.fds(), s.threads(), s.responderThreads(), s.heapUsed() / (double) MIB));
		}
		long heapAllowance = Math.max(16 * MIB, baseline.heapUsed() / 5);
		System.out.println("FIGURES " + getClass().getSimpleName() + " minutes=" + minutes + " clients=" + CLIENTS
				+ " connections=" + outcomes.connections() + " served=" + outcomes.whole() + " lost="
				+ outcomes.nothing() + " partial=" + outcomes.partial() + " connPerSec=" + outcomes.perSecond()
				+ " fdsBaseline=" + baseline.fds() + " fdsEnd=" + end.fds() + " threadsBaseline=" + baseline.threads()
				+ " threadsEnd=" + end.threads() + " heapBaselineMiB=" + baseline.heapUsed() / MIB + " heapEndMiB="
				+ end.heapUsed() / MIB + " heapAllowanceMiB=" + heapAllowance / MIB);
		assertThat(end.fds()).as("open file descriptors").isEqualTo(baseline.fds());
		assertThat(end.threads()).as("live threads").isEqualTo(baseline.threads());
		assertThat(end.responderThreads()).as("responder-* threads").isEqualTo(baseline.responderThreads());
		assertThat(outcomes.nothing()).as("clients refused or reset with the listener up").isZero();
		assertThat(end.heapUsed()).as("heap after a collection, against the first sample after the warm-up")
			.isLessThanOrEqualTo(baseline.heapUsed() + heapAllowance);
	}

	/**
	 * Waits a little for a condition, polling on this thread so as not to count a polling thread of its own.
	 */
	private static void settles(java.util.concurrent.Callable<Boolean> condition) {
		try {
			await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(condition);
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			// The assertions after the table say what differs.
		}
	}

	private void awaitQuiet() {
		await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> this.responder.connections().counts().active() == 0);
	}

	private Sample sample(long nanos, long connections, long perSecond) {
		long heap = ProcessResources.heapUsedAfterGc();
		return new Sample(nanos, connections, perSecond, ProcessResources.openFileDescriptors(),
				ProcessResources.liveThreads(), ProcessResources.responderThreads(), heap);
	}

	private record Sample(long nanos, long connections, long perSecond, long fds, int threads, long responderThreads,
			long heapUsed) {
	}

}
