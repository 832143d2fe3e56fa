package io.tcpresponder.kernel.bind;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

import io.tcpresponder.kernel.Sysctl;
import io.tcpresponder.transport.SocketTable;
import io.tcpresponder.transport.TableSocket;
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
 *
 * <p>
 * A socket that expires goes away when the kernel's timer wheel runs its timer ({@link TimerWheel}), up to a bucket
 * after the expiry the tables show; with the kernel's clock ({@link KernelClock}) that moment is known to a tick.
 * Without it, {@code freeAt} is the latest moment the wheel may take at any HZ.
 */
public final class BindBlockers {

	private static final Log logger = LogFactory.getLog(BindBlockers.class);

	/** {@code TCP_TIMEWAIT_LEN}: a constant of the kernel, not a setting. */
	private static final long TIME_WAIT_SECONDS = 60;

	/** The TIME_WAIT timer, in the tables' {@code tr} column. */
	private static final int TIME_WAIT_TIMER = 3;

	private static final int LISTEN = 0x0A;

	private static final int TIME_WAIT = 0x06;

	/** The most the wheel delays a 60 s timer at any HZ Linux offers: a bucket of 512 ticks at 100 a second. */
	private static final long UNKNOWN_CLOCK_DELAY_NANOS = Duration.ofMillis(5120).toNanos();

	/**
	 * How far from this process's closes a socket may have entered TIME_WAIT to count as this process's: its timer is
	 * read to 10 ms, and the client's FIN that moves it into TIME_WAIT comes a round trip after the close.
	 */
	private static final long ATTRIBUTION_SLACK_NANOS = Duration.ofSeconds(1).toNanos();

	/** The third word of an IPv4-mapped address, {@code ::ffff:a.b.c.d}. */
	private static final int MAPPED_WORD = 0x0000FFFF;

	private final @Nullable SocketTable table;

	private final Path proc;

	private final Supplier<Optional<KernelClock>> clock;

	private final SocketOwners owners;

	/**
	 * The blockers as the kernel's socket table shows them, with the kernel's clock where it can be read.
	 * @param table where the port's sockets are read from, {@code null} where there is none (not Linux)
	 */
	public BindBlockers(@Nullable SocketTable table) {
		this(table, Path.of("/proc"), KernelClock::read);
	}

	BindBlockers(@Nullable SocketTable table, Path proc, Supplier<Optional<KernelClock>> clock) {
		this.table = table;
		this.proc = proc;
		this.clock = clock;
		this.owners = new SocketOwners(proc);
	}

	/**
	 * Reads the sockets that block the given bind.
	 * @param probe the bind the kernel refused
	 * @param own the listeners this process ran on the port
	 * @return the blockers, {@link BindVerdict#none()} where the tables cannot be read
	 */
	public synchronized BindVerdict read(RefusedBind probe, List<PastListener> own) {
		SocketTable table = this.table;
		if (table == null) {
			return BindVerdict.none();
		}
		long now = System.nanoTime();
		Instant wallNow = Instant.now();
		Verdict verdict = new Verdict(new Target(probe), probe, own, this.clock.get().orElse(null), now,
				finTimeoutSeconds(), ownUid(), table.timerResolutionMillis());
		try {
			table.forEach(probe.port(), verdict::add);
		}
		catch (IOException ex) {
			logger.debug("Reading the kernel's socket tables failed", ex);
			return BindVerdict.none();
		}
		long read = System.nanoTime();
		Map<Long, SocketOwners.Owner> found = this.owners.find(verdict.listenerInodes());
		List<BindVerdict.Holder> holders = verdict.holders.stream().map((holder) -> {
			SocketOwners.Owner owner = found.get(holder.inode());
			return (owner != null)
					? new BindVerdict.Holder(holder.address(), holder.inode(), holder.uid(), owner.pid(), owner.command())
					: holder;
		}).toList();
		OptionalLong free = verdict.freeAt(read);
		Instant freeAt = free.isPresent() ? wallNow.plusNanos(free.getAsLong() - now) : null;
		return new BindVerdict(verdict.timeWait, verdict.listeners, verdict.others, freeAt, verdict.reuseAddressWouldHelp(),
				holders);
	}

	private long finTimeoutSeconds() {
		return Sysctl.read(this.proc, "net.ipv4.tcp_fin_timeout").orElse(TIME_WAIT_SECONDS);
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

	/**
	 * An address as {@link TableSocket#addressWord} gives it: 32-bit words, in network order.
	 */
	static int[] words(byte[] address) {
		ByteBuffer bytes = ByteBuffer.wrap(address);
		int[] words = new int[address.length / 4];
		for (int i = 0; i < words.length; i++) {
			words[i] = bytes.getInt();
		}
		return words;
	}

	/**
	 * Whether an IPv6 socket's local address is an IPv4-mapped one ({@code ::ffff:a.b.c.d}): an IPv4 client of a
	 * dual-stack listener.
	 */
	private static boolean isMapped(int[] words) {
		return words[0] == 0 && words[1] == 0 && words[2] == MAPPED_WORD;
	}

	private static boolean isAny(boolean ipv6, int[] words) {
		return ipv6 ? (words[0] | words[1] | words[2] | words[3]) == 0 : words[0] == 0;
	}

	/**
	 * The address a bind asked for, and which of the port's sockets it overlaps ({@code inet_rcv_saddr_equal}).
	 */
	private static final class Target {

		private final boolean ipv6;

		private final boolean any;

		private final boolean ipv6Only;

		private final int[] words;

		Target(RefusedBind probe) {
			InetAddress address = probe.address();
			this.ipv6 = !(address instanceof Inet4Address);
			this.any = address == null || address.isAnyLocalAddress();
			this.ipv6Only = probe.ipv6Only();
			this.words = (address != null) ? words(address.getAddress()) : new int[4];
		}

		boolean overlaps(boolean socketIpv6, int[] socket) {
			boolean socketIpv4 = !socketIpv6 || isMapped(socket);
			int socketIpv4Word = socketIpv6 ? socket[3] : socket[0];
			if (!this.ipv6) {
				if (socketIpv4) {
					return this.any || socketIpv4Word == 0 || socketIpv4Word == this.words[0];
				}
				// A wildcard IPv6 socket takes IPv4 too unless it set IPV6_V6ONLY, which the tables do not show.
				return isAny(true, socket);
			}
			if (this.any) {
				return !socketIpv4 || !this.ipv6Only;
			}
			if (socketIpv4) {
				return false;
			}
			return isAny(true, socket) || (socket[0] == this.words[0] && socket[1] == this.words[1]
					&& socket[2] == this.words[2] && socket[3] == this.words[3]);
		}

		boolean covers(@Nullable InetAddress listener, boolean socketIpv6, int[] socket) {
			if (listener == null || listener.isAnyLocalAddress()) {
				return true;
			}
			int[] words = words(listener.getAddress());
			if (words.length == 1) {
				if (socketIpv6) {
					return isMapped(socket) && socket[3] == words[0];
				}
				return socket[0] == words[0];
			}
			return socketIpv6 && socket[0] == words[0] && socket[1] == words[1] && socket[2] == words[2]
					&& socket[3] == words[3];
		}

	}

	/**
	 * The verdict on one bind, added up socket by socket.
	 */
	private static final class Verdict {

		private final Target target;

		private final RefusedBind probe;

		private final List<PastListener> own;

		private final @Nullable KernelClock clock;

		private final long now;

		private final long finTimeoutSeconds;

		private final long uid;

		private final int resolutionMillis;

		private long timeWait;

		private long listeners;

		private long others;

		private boolean lastsUntilClosed;

		private long timeWaitMillis = -1;

		private long finWait2Millis = -1;

		private final int[] address = new int[4];

		private boolean anyUnknownOrigin;

		private boolean anyWithoutReuseAddress;

		private final List<BindVerdict.Holder> holders = new ArrayList<>();

		Verdict(Target target, RefusedBind probe, List<PastListener> own, @Nullable KernelClock clock, long now,
				long finTimeoutSeconds, long uid, int resolutionMillis) {
			this.target = target;
			this.probe = probe;
			this.own = own;
			this.clock = clock;
			this.now = now;
			this.finTimeoutSeconds = finTimeoutSeconds;
			this.uid = uid;
			this.resolutionMillis = resolutionMillis;
		}

		void add(TableSocket socket) {
			int[] address = this.address;
			for (int i = 0; i < (socket.ipv6() ? 4 : 1); i++) {
				address[i] = socket.addressWord(i);
			}
			if (!this.target.overlaps(socket.ipv6(), address)) {
				return;
			}
			if (socket.state() == LISTEN) {
				// SO_REUSEADDR never binds beside a listener; SO_REUSEPORT might, but the bind was refused.
				this.listeners++;
				this.holders.add(new BindVerdict.Holder(socket.address(), socket.inode(),
						socket.uid(), null, null));
				return;
			}
			boolean timeWaitTimer = socket.timer() == TIME_WAIT_TIMER;
			long armedSeconds = (socket.state() == TIME_WAIT) ? TIME_WAIT_SECONDS : this.finTimeoutSeconds;
			long expires = this.now + socket.timerMillis() * 1_000_000L;
			PastListener origin = timeWaitTimer ? origin(socket.ipv6(), address, expires - armedSeconds * 1_000_000_000L)
					: null;
			if (origin != null && !conflicts(origin, timeWaitTimer, socket.uid())) {
				return;
			}
			if (socket.state() == TIME_WAIT) {
				this.timeWait++;
			}
			else {
				this.others++;
			}
			if (origin == null) {
				this.anyUnknownOrigin = true;
			}
			else if (!origin.reuseAddress()) {
				this.anyWithoutReuseAddress = true;
			}
			if (timeWaitTimer) {
				if (socket.state() == TIME_WAIT) {
					this.timeWaitMillis = Math.max(this.timeWaitMillis, socket.timerMillis());
				}
				else {
					this.finWait2Millis = Math.max(this.finWait2Millis, socket.timerMillis());
				}
			}
			else {
				this.lastsUntilClosed = true;
			}
		}

		/**
		 * The kernel's rule for a socket that is not listening, with the options of the listener that left it.
		 */
		private boolean conflicts(PastListener origin, boolean timeWait, long socketUid) {
			if (this.probe.reuseAddress() && origin.reuseAddress()) {
				return false;
			}
			return !(this.probe.reusePort() && origin.reusePort() && (timeWait || socketUid == this.uid));
		}

		/**
		 * The listener of this process that closed connections on the socket's address when it entered its state,
		 * if all of those had the same options.
		 */
		private @Nullable PastListener origin(boolean ipv6, int[] address, long entered) {
			PastListener found = null;
			for (PastListener listener : this.own) {
				if (entered >= listener.firstClose() - ATTRIBUTION_SLACK_NANOS
						&& entered <= listener.lastClose() + ATTRIBUTION_SLACK_NANOS
						&& this.target.covers(listener.address(), ipv6, address)) {
					if (found != null && (found.reuseAddress() != listener.reuseAddress()
							|| found.reusePort() != listener.reusePort())) {
						return null;
					}
					found = listener;
				}
			}
			return found;
		}

		/**
		 * When the timer wheel removes a socket whose timer the table tells, never before.
		 * @param millis the milliseconds the table tells, no more than the truth and less by up to its resolution
		 */
		private long removedAt(long read, long millis, long armedSeconds) {
			KernelClock clock = this.clock;
			long expires = read + (millis + this.resolutionMillis) * 1_000_000L;
			if (clock == null) {
				return expires + UNKNOWN_CLOCK_DELAY_NANOS;
			}
			int hz = clock.hz();
			// Take the last kernel tick the figure may stand for, plus one for the tick the clock was read in.
			long remaining = Math.ceilDiv((millis + this.resolutionMillis) * hz, 1000) - 1;
			long expiresAt = clock.jiffiesAt(read) + remaining + 1;
			long fires = TimerWheel.firesAt(expiresAt, armedSeconds * hz);
			return clock.nanoTimeOf(fires + 1);
		}

		/**
		 * When the last blocking socket goes away, if each goes away by itself.
		 * @param read when the tables had been read: a timer's ticks count from the moment its line was made, which
		 * is no later, so taking this moment keeps {@code freeAt} from being early
		 */
		OptionalLong freeAt(long read) {
			if (this.listeners > 0 || this.lastsUntilClosed || (this.timeWaitMillis < 0 && this.finWait2Millis < 0)) {
				return OptionalLong.empty();
			}
			long freeAt = Long.MIN_VALUE;
			if (this.timeWaitMillis >= 0) {
				freeAt = removedAt(read, this.timeWaitMillis, TIME_WAIT_SECONDS);
			}
			if (this.finWait2Millis >= 0) {
				freeAt = Math.max(freeAt, removedAt(read, this.finWait2Millis, this.finTimeoutSeconds));
			}
			return OptionalLong.of(freeAt);
		}

		@Nullable Boolean reuseAddressWouldHelp() {
			if (this.listeners > 0 || this.anyWithoutReuseAddress) {
				return false;
			}
			if (this.anyUnknownOrigin || this.timeWait + this.others == 0) {
				return null;
			}
			return !this.probe.reuseAddress();
		}

		Set<Long> listenerInodes() {
			Set<Long> inodes = new HashSet<>();
			this.holders.forEach((holder) -> inodes.add(holder.inode()));
			return inodes;
		}

	}

}
