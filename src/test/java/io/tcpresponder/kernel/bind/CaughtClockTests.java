package io.tcpresponder.kernel.bind;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.tcpresponder.transport.linux.NativeTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clock from {@code times(2)}, caught for the first verdicts and kept: it tells the tick counter as a fresh catch
 * does, and it stays when a busy machine keeps a catch from succeeding.
 */
class CaughtClockTests {

	private static final long QUARTER_MILLISECOND = 250_000;

	@Test
	@EnabledOnOs(OS.LINUX)
	void aKeptClockTellsTheTickAsAFreshCatchDoes() {
		Catches catches = new Catches();
		CaughtClock clock = new CaughtClock(catches);
		// A busy machine may keep a catch from succeeding: each verdict tries until enough have.
		await().atMost(Duration.ofMinutes(1))
			.until(() -> clock.get().isPresent() && catches.caught.get() == CaughtClock.CATCHES);
		int triesMade = catches.tries.get();
		for (int i = 0; i < 3; i++) {
			assertThat(clock.get()).isPresent();
		}
		assertThat(catches.tries).as("no catch, and no spin, once the clock is kept").hasValue(triesMade);
		KernelClock kept = clock.get().orElseThrow();
		long tickNanos = 1_000_000_000L / kept.hz();
		int compared = 0;
		for (int i = 0; i < 10; i++) {
			Optional<KernelClock> fresh = fromTimes();
			if (fresh.isEmpty()) {
				continue;
			}
			// Each catch takes a tick to begin up to a quarter of a millisecond after the kernel counted it, which is
			// itself late by the timer interrupt's latency (a millisecond seen under stress-ng) and a whole tick where
			// the kernel counted ticks in a burst; the kept one is the earliest of several, so later than a fresh one
			// by less than a tick.
			long keptLater = kept.nanoTimeOf(fresh.get().jiffies()) - fresh.get().nanoTime();
			assertThat(keptLater).as("how much later the kept clock begins the fresh catch's tick, catch %d (ns)", i)
				.isBetween(-tickNanos - QUARTER_MILLISECOND, tickNanos);
			compared++;
		}
		assertThat(compared).as("fresh catches compared").isPositive();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void aCatchThatFailsOnABusyMachineLeavesTheClockKept() {
		Optional<KernelClock> real = await().atMost(Duration.ofMinutes(1))
			.until(CaughtClockTests::fromTimes, Optional::isPresent);
		AtomicInteger catches = new AtomicInteger();
		Supplier<Optional<KernelClock>> firstOnly = () -> (catches.getAndIncrement() == 0) ? real : Optional.empty();
		CaughtClock clock = new CaughtClock(firstOnly);
		KernelClock first = clock.get().orElseThrow();
		assertThat(clock.get()).as("after a catch that did not succeed").contains(first);
		assertThat(catches).hasValue(2);
	}

	/**
	 * Caught ahead, the clock is kept before any verdict asks for it, and a verdict then makes no catch of its own.
	 */
	@Test
	@EnabledOnOs(OS.LINUX)
	void caughtAheadTheFirstVerdictFindsTheClockKept() {
		Catches catches = new Catches();
		CaughtClock clock = new CaughtClock(catches).catchAhead(Duration.ofMillis(10), 1_000);
		await().atMost(Duration.ofMinutes(1)).until(() -> catches.caught.get() == CaughtClock.CATCHES);
		int triesMade = catches.tries.get();
		assertThat(clock.get()).isPresent();
		assertThat(catches.tries).as("the verdict made no catch").hasValue(triesMade);
	}

	/**
	 * Where no catch succeeds, the catches made ahead stop once their tries run out.
	 */
	@Test
	void catchesMadeAheadStopWhenTheirTriesRunOut() {
		AtomicInteger tries = new AtomicInteger();
		new CaughtClock(() -> {
			tries.incrementAndGet();
			return Optional.empty();
		}).catchAhead(Duration.ofMillis(10), 5);
		await().atMost(Duration.ofSeconds(20)).until(() -> tries.get() == 5);
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(20)).until(() -> tries.get() == 5);
	}

	@Test
	void ofTwoReadingsTheOneWhoseTicksBeginEarlierIsKept() {
		KernelClock early = new KernelClock(250, 1_000, 10_000_000L, KernelClock.TIMES);
		KernelClock late = new KernelClock(250, 1_002, 18_000_150L, KernelClock.TIMES);
		assertThat(early.earlierOf(late)).isSameAs(early);
		assertThat(late.earlierOf(early)).isSameAs(early);
	}

	/**
	 * Catches from {@code times(2)}, counting those tried and those that succeeded.
	 */
	private static final class Catches implements Supplier<Optional<KernelClock>> {

		final AtomicInteger tries = new AtomicInteger();

		final AtomicInteger caught = new AtomicInteger();

		@Override
		public Optional<KernelClock> get() {
			this.tries.incrementAndGet();
			Optional<KernelClock> fresh = fromTimes();
			fresh.ifPresent((ignored) -> this.caught.incrementAndGet());
			return fresh;
		}

	}

	private static Optional<KernelClock> fromTimes() {
		return KernelClock.fromClockTicks(NativeTransport.clockTicks(), NativeTransport.clockTicksPerSecond(),
				NativeTransport.tickNanos());
	}

}
