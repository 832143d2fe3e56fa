package io.tcpresponder.kernel.bind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import io.tcpresponder.transport.TableSocket;
import org.jspecify.annotations.Nullable;

/**
 * The verdict on one bind, added up socket by socket of the port: which overlap the bind's address and block it by
 * the kernel's bind rules, whose TIME_WAIT sockets this process's listeners left (and with which options), and when
 * the last of them goes away.
 *
 * <p>
 * A socket that expires goes away when the kernel's timer wheel runs its timer ({@link TimerWheel}), up to a bucket
 * after the expiry the tables show; with the kernel's clock ({@link KernelClock}) that moment is known to a tick.
 * Without it, {@code freeAt} is the latest moment the wheel may take at any HZ.
 */
final class VerdictTally {

	/** {@code TCP_TIMEWAIT_LEN}: a constant of the kernel, not a setting. */
	static final long TIME_WAIT_SECONDS = 60;

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

	private final BindTarget target;

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

	VerdictTally(BindTarget target, RefusedBind probe, List<PastListener> own, @Nullable KernelClock clock, long now,
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

	/**
	 * Leaves the given listening sockets out, as if they were gone: the listeners a restart would close first.
	 * @param inodes the listening sockets' inodes
	 */
	void leaveOut(Set<Long> inodes) {
		int before = this.holders.size();
		this.holders.removeIf((holder) -> inodes.contains(holder.inode()));
		this.listeners -= before - this.holders.size();
	}

	/**
	 * The listening sockets among the blockers, their owners not looked up yet.
	 * @return the holders
	 */
	List<BindVerdict.Holder> holders() {
		return this.holders;
	}

	/**
	 * The verdict the sockets added up to.
	 * @param freeAt when the last blocker goes away, or {@code null}
	 * @param holders the listening blockers, with their owners where found
	 * @return the verdict
	 */
	BindVerdict verdict(@Nullable Instant freeAt, List<BindVerdict.Holder> holders) {
		return new BindVerdict(this.timeWait, this.listeners, this.others, freeAt, reuseAddressWouldHelp(), holders,
				(this.clock != null) ? this.clock.source() : null);
	}

	Set<Long> listenerInodes() {
		Set<Long> inodes = new HashSet<>();
		this.holders.forEach((holder) -> inodes.add(holder.inode()));
		return inodes;
	}

}
