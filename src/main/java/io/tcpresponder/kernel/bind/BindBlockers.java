package io.tcpresponder.kernel.bind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.tcpresponder.kernel.Sysctl;
import io.tcpresponder.transport.SocketTable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Which sockets refused a bind, and until when: the port's sockets in the kernel's tables whose local address
 * overlaps the bind's, and which the kernel's bind rules ({@code inet_bind_conflict}) let through only when both
 * sides set SO_REUSEADDR and the other is not listening, or both set SO_REUSEPORT.
 *
 * <p>
 * The tables do not show a socket's SO_REUSEADDR, which a TIME_WAIT socket keeps from the listener that accepted it.
 * This process knows it for the listeners it ran ({@link PastListener}): a TIME_WAIT socket whose timer says it
 * entered TIME_WAIT while one of them was closing its connections on that address is that listener's. Any other
 * socket might block the bind, and counts as blocking it.
 * How each socket counts, and when it goes away, is {@link VerdictTally}'s.
 */
public final class BindBlockers {

	private static final Log logger = LogFactory.getLog(BindBlockers.class);

	/**
	 * How far apart the JVM's two clocks may be read: {@code freeAt} is told on the wall clock from the monotonic one,
	 * and a thread held between the two readings would tell it late by as long.
	 */
	private static final long PAIRED_NANOS = Duration.ofMillis(1).toNanos();

	/** Without the kernel's clock, how long a reading of the tables may take: as for the clocks. */
	private static final long HELD_NANOS = Duration.ofMillis(20).toNanos();

	/** How many readings at the most, the last of which is kept: each is told never early. */
	private static final int READINGS = 3;

	private final @Nullable SocketTable table;

	private final Path proc;

	private final Supplier<Optional<KernelClock>> clock;

	private final SocketOwners owners;

	/**
	 * The blockers as the kernel's socket table shows them, with the kernel's clock where it can be read.
	 * @param table where the port's sockets are read from, {@code null} where there is none (not Linux)
	 * @param clock reads the kernel's clock, where it can be read
	 */
	public BindBlockers(@Nullable SocketTable table, Supplier<Optional<KernelClock>> clock) {
		this(table, Path.of("/proc"), clock);
	}

	BindBlockers(@Nullable SocketTable table, Path proc, Supplier<Optional<KernelClock>> clock) {
		this.table = table;
		this.proc = proc;
		this.clock = clock;
		this.owners = new SocketOwners(proc);
	}

	/**
	 * Reads the sockets that block the given bind.
	 * @param probe the bind the kernel refused, or that is to be tried
	 * @param own the listeners this process ran on the port
	 * @param withoutOwnListeners whether the listening sockets of this process are left out, as a restart that closes
	 * them first would find the port
	 * @return the blockers, {@link BindVerdict#none()} where the tables cannot be read
	 */
	public synchronized BindVerdict read(RefusedBind probe, List<PastListener> own, boolean withoutOwnListeners) {
		SocketTable table = this.table;
		if (table == null) {
			return BindVerdict.none();
		}
		KernelClock clock = this.clock.get().orElse(null);
		long finTimeoutSeconds = finTimeoutSeconds();
		long uid = ownUid();
		Reading reading = null;
		for (int i = 0; i < READINGS && (reading == null || !reading.sure(clock)); i++) {
			long now = System.nanoTime();
			Instant wallNow = Instant.now();
			long paired = System.nanoTime();
			VerdictTally tally = new VerdictTally(new BindTarget(probe), probe, own, clock, now, finTimeoutSeconds, uid,
					table.timerResolutionMillis());
			try {
				table.forEach(probe.port(), tally::add);
			}
			catch (IOException ex) {
				logger.debug("Reading the kernel's socket tables failed", ex);
				return BindVerdict.none();
			}
			reading = new Reading(tally, now, wallNow, paired, System.nanoTime());
		}
		VerdictTally tally = reading.tally();
		Map<Long, SocketOwners.Owner> found = this.owners.find(tally.listenerInodes());
		if (withoutOwnListeners) {
			long pid = ProcessHandle.current().pid();
			tally.leaveOut(found.entrySet()
				.stream()
				.filter((owner) -> owner.getValue().pid() == pid)
				.map(Map.Entry::getKey)
				.collect(Collectors.toSet()));
		}
		List<BindVerdict.Holder> holders = tally.holders().stream().map((holder) -> {
			SocketOwners.Owner owner = found.get(holder.inode());
			return (owner != null)
					? new BindVerdict.Holder(holder.address(), holder.inode(), holder.uid(), owner.pid(), owner.command())
					: holder;
		}).toList();
		OptionalLong free = tally.freeAt(reading.read());
		Instant freeAt = free.isPresent() ? reading.wallNow().plusNanos(free.getAsLong() - reading.now()) : null;
		return tally.verdict(freeAt, holders);
	}

	/**
	 * A reading of the tables between two moments of the JVM's clock, {@code now} and {@code read}. The timers count
	 * from when the kernel wrote them, somewhere between the two, and are taken from {@code read} so that
	 * {@code freeAt} is never early. A thread the machine holds while it reads, near the edge of the timer wheel's
	 * bucket, would then tell {@code freeAt} a bucket late (2.048 s at 250 ticks a second): such a reading, whose
	 * {@code freeAt} from {@code now} would differ, is made again.
	 */
	private record Reading(VerdictTally tally, long now, Instant wallNow, long paired, long read) {

		boolean sure(@Nullable KernelClock clock) {
			if (this.paired - this.now > PAIRED_NANOS) {
				return false;
			}
			if (clock == null) {
				return this.read - this.now <= HELD_NANOS;
			}
			return this.tally.freeAt(this.now).equals(this.tally.freeAt(this.read));
		}

	}

	private long finTimeoutSeconds() {
		return Sysctl.read(this.proc, "net.ipv4.tcp_fin_timeout").orElse(VerdictTally.TIME_WAIT_SECONDS);
	}

	private long ownUid() {
		try {
			for (String line : Files.readAllLines(this.proc.resolve("self/status"))) {
				if (line.startsWith("Uid:")) {
					return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Unknown: no listener of another user is taken for this one's.
		}
		return -1;
	}

}
