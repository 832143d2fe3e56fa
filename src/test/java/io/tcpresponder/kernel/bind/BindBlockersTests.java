package io.tcpresponder.kernel.bind;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.tcpresponder.kernel.ProcSocketTable;
import io.tcpresponder.responder.KernelClocks;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.KernelSockets;
import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.TableSocket;
import io.tcpresponder.transport.linux.NativeTransport;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The blockers of a real port's TIME_WAIT socket, read from both of the kernel's tables while the machine holds the
 * reading thread for longer than a bucket of the timer wheel: {@code freeAt} stays what a reading it does not hold
 * tells, to the millisecond.
 */
@EnabledOnOs(OS.LINUX)
class BindBlockersTests {

	private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

	private static final byte[] LINE = "I sent sth to client!\n".getBytes(StandardCharsets.US_ASCII);

	/** One clock for every reading: the readings differ only in how long the machine held them. */
	private static final Supplier<Optional<KernelClock>> CLOCK = fixed(KernelClocks.choose().get());

	static Stream<SocketTable> tables() {
		return Stream.of(NativeTransport.socketTable(), new ProcSocketTable());
	}

	@ParameterizedTest
	@MethodSource("tables")
	void aReadingTheMachineHoldsTellsTheFreeAtOfOneItDoesNotHold(SocketTable table) throws IOException {
		KernelSockets.assumeAvailable();
		KernelClock clock = CLOCK.get().orElse(null);
		assumeThat(clock).as("the kernel's clock, which times(2) tells any user").isNotNull();
		// Held for longer than a bucket of the timer wheel at this HZ, the reading straddles a bucket's edge.
		Duration held = Duration.ofNanos(clock.nanoTimeOf(clock.jiffies() + TimerWheel.firesAt(0, 60L * clock.hz()))
				- clock.nanoTime()).plusMillis(100);
		int port = leaveTimeWait();
		RefusedBind bind = new RefusedBind(LOOPBACK, port, false, false, false);
		BindVerdict quick = new BindBlockers(table, CLOCK).read(bind, List.of(), false);
		HeldOnce heldOnce = new HeldOnce(table, held);
		BindVerdict verdict = new BindBlockers(heldOnce, CLOCK).read(bind, List.of(), false);
		assertThat(heldOnce.wasHeld()).isTrue();
		assertThat(verdict.timeWait()).isOne();
		assertThat(quick.freeAt()).isNotNull();
		assertThat(verdict.freeAt()).isNotNull();
		assertThat(Duration.between(quick.freeAt(), verdict.freeAt()).abs())
			.as("freeAt of the reading held %s against the quick one's", held)
			.isLessThan(Duration.ofMillis(50));
	}

	private static Supplier<Optional<KernelClock>> fixed(Optional<KernelClock> clock) {
		return () -> clock;
	}

	/**
	 * A listener without SO_REUSEADDR serves one client and closes first, then closes: one TIME_WAIT socket on the
	 * port.
	 */
	private static int leaveTimeWait() throws IOException {
		int port;
		try (ServerSocketChannel listener = BindProbe.listen(new InetSocketAddress(LOOPBACK, 0), false, false)) {
			port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
			try (Socket client = Clients.connect(LOOPBACK, port)) {
				try (SocketChannel accepted = listener.accept()) {
					accepted.write(ByteBuffer.wrap(LINE));
				}
				assertThat(Clients.readAll(client.getInputStream()).toByteArray()).isEqualTo(LINE);
			}
		}
		int timeWaitPort = port;
		await().atMost(Duration.ofMinutes(1)).until(() -> KernelSockets.count("time-wait", timeWaitPort) == 1);
		return port;
	}

	/**
	 * The kernel's table, whose first reading the machine holds once it has been read: the thread stops, as on a busy
	 * machine, between the kernel's writing the timers and the reader's taking the time.
	 */
	private static final class HeldOnce implements SocketTable {

		private final SocketTable table;

		private final Duration hold;

		private final AtomicBoolean held = new AtomicBoolean();

		HeldOnce(SocketTable table, Duration hold) {
			this.table = table;
			this.hold = hold;
		}

		boolean wasHeld() {
			return this.held.get();
		}

		@Override
		public String name() {
			return this.table.name();
		}

		@Override
		public int timerResolutionMillis() {
			return this.table.timerResolutionMillis();
		}

		@Override
		public boolean listenerFigures() {
			return this.table.listenerFigures();
		}

		@Override
		public void forEach(int port, Consumer<TableSocket> visitor) throws IOException {
			this.table.forEach(port, visitor);
			if (this.held.compareAndSet(false, true)) {
				try {
					// The stall the test is about, not a wait for a condition.
					Thread.sleep(this.hold);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException();
				}
			}
		}

	}

}
