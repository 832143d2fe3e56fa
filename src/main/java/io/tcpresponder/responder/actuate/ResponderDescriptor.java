package io.tcpresponder.responder.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tcpresponder.kernel.PortView;
import io.tcpresponder.kernel.TcpState;
import io.tcpresponder.kernel.bind.BindVerdict;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.limit.Admission;
import io.tcpresponder.responder.limit.ConnectionLimits;
import io.tcpresponder.responder.proxy.AddressBlock;
import io.tcpresponder.responder.proxy.HeaderCounts;
import io.tcpresponder.responder.proxy.HeaderOutcome;
import io.tcpresponder.responder.proxy.ProxyProtocol;
import io.tcpresponder.responder.server.ListenerSettings;
import io.tcpresponder.responder.server.ListenerState;
import io.tcpresponder.responder.server.ListenerStatus;
import io.tcpresponder.responder.server.ResponderState;
import io.tcpresponder.responder.server.ResponderStatus;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.transport.Addresses;
import io.tcpresponder.transport.KernelError;
import io.tcpresponder.transport.SocketOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What {@code GET /actuator/responder} tells: the listeners, their state, and the counts of the process.
 *
 * @param state the responder's state as a whole: LISTENING on every address, PARTIALLY_LISTENING on some, FAILED on
 * none (see {@link ResponderStatus#of})
 * @param address the local addresses listened on, separated by commas ({@code ::} for every address)
 * @param port the bound port, or the port to bind when not listening
 * @param options the socket options of the listeners, each a member of its own ({@code reuseAddress} and so on)
 * @param closeMode which side closes first
 * @param transport the transport the listener runs on: {@code native} or {@code nio}
 * @param since when the current state began
 * @param lastError why the last bind failed, of the first failed listener where one failed; {@code null} once every
 * bind succeeds
 * @param listeners each listener, one per configured address, in the configuration's order
 * @param connections connection counts over the life of the process
 * @param limits the connection limits, and what they hold now
 * @param proxyProtocol the PROXY protocol setting, and the headers read by outcome
 * @param restarts restart counts over the life of the process
 * @param tcp the kernel's view of the port
 */
record ResponderDescriptor(ResponderState state, String address, int port, @JsonUnwrapped SocketOptions options,
		String closeMode, String transport, Instant since,
		@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable KernelError lastError, List<ListenerDescriptor> listeners,
		ConnectionCounts.Snapshot connections, Limits limits, ProxyProtocolView proxyProtocol, Restarts restarts,
		KernelView tcp) implements OperationResponseBody {

	static ResponderDescriptor of(TcpResponder responder, PortView port) {
		List<ListenerStatus> each = responder.listenerStatuses();
		ResponderStatus status = ResponderStatus.of(each);
		ListenerSettings settings = responder.settings();
		ConnectionCounts counts = responder.connections().counts();
		Instant now = Instant.now();
		Instant retryAt = responder.retryAt();
		List<ListenerDescriptor> listeners = each.stream()
			.map((listener) -> new ListenerDescriptor(listener.address(), settings.port(), listener.state(),
					listener.since(), listener.lastError(), Verdict.of(listener, now),
					listener.failed() ? retryAt : null))
			.toList();
		return new ResponderDescriptor(status.state(), status.address(), settings.port(), settings.options(),
				responder.connections().closeMode().value(), responder.transport().name(),
				status.since(), status.lastError(), listeners, counts.snapshot(),
				Limits.of(settings.limits(), responder.connections().admission().held(Limits.TOP_CLIENTS)),
				ProxyProtocolView.of(settings.proxyProtocol(), responder.connections().headerCounts()),
				new Restarts(counts.restarts(true), counts.restarts(false), counts.restartChecks()), KernelView.of(port));
	}

	/**
	 * One listener: the address it binds, and its own state.
	 *
	 * @param address the local address ({@code ::} for every address)
	 * @param port the bound port, or the port to bind when not listening
	 * @param state the listener's state
	 * @param since when its state began
	 * @param lastError why its last bind failed; {@code null} once a bind succeeds
	 * @param verdict for a FAILED listener refused with EADDRINUSE, what held the address; absent otherwise
	 * @param retryAt for a FAILED listener, when {@code responder.retry-bind} binds it again; absent when no retry
	 * is pending
	 */
	record ListenerDescriptor(String address, int port, ListenerState state, Instant since,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable KernelError lastError,
			@JsonUnwrapped @Nullable Verdict verdict, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant retryAt) {
	}

	/**
	 * What held the address of a bind refused with EADDRINUSE, each a member of the listener's own.
	 *
	 * @param blockers the sockets that held it, by kind, and the listening ones with their owners
	 * @param freeAt when the kernel removes the last of them; {@code null} where one does not go away by itself
	 * @param freeInSeconds whole seconds from now until {@code freeAt}, rounded up, counting down to 0; {@code null}
	 * with it
	 * @param reuseAddressWouldHelp whether SO_REUSEADDR would bind over them; {@code null} where the service cannot
	 * know: they were left by another process, or before this one
	 * @param clock the kernel clock {@code freeAt} was told by: {@code times} (any user may read it), {@code timer_list}
	 * (root only); {@code null} where none could be read, {@code freeAt} then the latest at any HZ
	 */
	record Verdict(BlockerCounts blockers, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant freeAt,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Long freeInSeconds,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Boolean reuseAddressWouldHelp,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String clock) {

		static @Nullable Verdict of(ListenerStatus listener, Instant now) {
			return listener.failed() ? of(listener.verdict(), now) : null;
		}

		static @Nullable Verdict of(@Nullable BindVerdict verdict, Instant now) {
			if (verdict == null) {
				return null;
			}
			Instant freeAt = verdict.freeAt();
			return new Verdict(
					new BlockerCounts(verdict.timeWait(), verdict.listeners(), verdict.others(),
							verdict.holders().stream().map(Holder::of).toList()),
					freeAt, (freeAt != null) ? BindVerdict.secondsUntil(freeAt, now) : null,
					verdict.reuseAddressWouldHelp(), verdict.clock());
		}

	}

	/**
	 * The sockets that held an address, by kind.
	 *
	 * @param timeWait sockets in TIME_WAIT
	 * @param listeners listening sockets
	 * @param others sockets in any other state
	 * @param holders each listening socket with its owner
	 */
	record BlockerCounts(long timeWait, long listeners, long others,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<Holder> holders) {
	}

	/**
	 * A listening socket that held an address.
	 *
	 * @param address its local address
	 * @param inode its inode ({@code ss -e}, {@code /proc/PID/fd})
	 * @param uid its owner's user id
	 * @param pid the process that holds it; absent where this process cannot see it
	 * @param command that process's command name
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Holder(String address, long inode, long uid, @Nullable Long pid, @Nullable String command) {

		static Holder of(BindVerdict.Holder holder) {
			return new Holder(Addresses.text(holder.address()), holder.inode(), holder.uid(), holder.pid(),
					holder.command());
		}

	}

	/**
	 * The connection limits, and what they hold.
	 *
	 * @param maxConnections connections held at once at most, over all listeners
	 * @param maxConnectionsPerClient connections one client holds at once at most; 0 for no such limit
	 * @param ipv4Prefix the leading bits of an IPv4 address that make one client
	 * @param ipv6Prefix the leading bits of an IPv6 address that make one client
	 * @param held connections held now
	 * @param clients clients holding them
	 * @param topClients the clients that hold the most, at most {@value #TOP_CLIENTS}, most first
	 */
	record Limits(int maxConnections, int maxConnectionsPerClient, int ipv4Prefix, int ipv6Prefix, int held,
			int clients, List<Admission.Client> topClients) {

		static final int TOP_CLIENTS = 5;

		static Limits of(ConnectionLimits limits, Admission.Held held) {
			return new Limits(limits.maxConnections(), limits.maxConnectionsPerClient(), limits.ipv4Prefix(),
					limits.ipv6Prefix(), held.connections(), held.clients(), held.top());
		}

	}

	/**
	 * The PROXY protocol setting, and the headers read.
	 *
	 * @param enabled whether connections start with a PROXY protocol header
	 * @param trustedProxies the addresses and blocks whose connections must; empty for every peer
	 * @param headerTimeout how long a header may take
	 * @param headers headers by outcome over the life of the process
	 */
	record ProxyProtocolView(boolean enabled, List<String> trustedProxies, Duration headerTimeout, Headers headers) {

		static ProxyProtocolView of(ProxyProtocol setting, HeaderCounts counts) {
			return new ProxyProtocolView(setting.enabled(),
					setting.trustedProxies().stream().map(AddressBlock::toString).toList(), setting.headerTimeout(),
					new Headers(counts.count(HeaderOutcome.V1), counts.count(HeaderOutcome.V2),
							counts.count(HeaderOutcome.LOCAL), counts.count(HeaderOutcome.INVALID),
							counts.count(HeaderOutcome.TIMEOUT), counts.count(HeaderOutcome.UNTRUSTED_WITHOUT_HEADER)));
		}

	}

	/**
	 * PROXY protocol headers by outcome.
	 *
	 * @param v1 version 1 headers naming a client
	 * @param v2 version 2 headers naming a client
	 * @param local headers naming none (v2 LOCAL, v1 UNKNOWN), served as the socket's peer
	 * @param invalid connections closed without the line for what they sent instead of a header
	 * @param timeout connections closed without the line for no whole header in time
	 * @param untrustedWithoutHeader connections from peers that are not trusted proxies, served without a header
	 */
	record Headers(long v1, long v2, long local, long invalid, long timeout, long untrustedWithoutHeader) {
	}

	/**
	 * Restart counts.
	 *
	 * @param succeeded restarts that bound a new listener
	 * @param failed restarts whose bind failed
	 * @param checked restarts asked for with {@code dryRun}, which closed nothing
	 */
	record Restarts(long succeeded, long failed, long checked) {
	}

	/**
	 * The kernel's view of the port; only {@code available: false} where the kernel's socket table cannot be read.
	 *
	 * @param available whether the kernel's socket table could be read (on Linux)
	 * @param source where it was read from: {@code sock_diag}, or {@code /proc/net/tcp} where netlink cannot be
	 * opened (no native access)
	 * @param states sockets on the port by TCP state, every state present
	 * @param acceptQueue the accept queues of the port's listeners, summed
	 * @param listeners each listening socket on the port (each address, each member of a SO_REUSEPORT group), this
	 * process's and any other's
	 * @param hostListenOverflows the host's TcpExt ListenOverflows, of every listener on the host
	 * @param hostListenDrops the host's TcpExt ListenDrops, of every listener on the host
	 * @param migrateRequests whether the kernel moves the accept queue of a closing SO_REUSEPORT listener to its
	 * siblings ({@code net.ipv4.tcp_migrate_req}), which a handover on nio needs to lose no connection; {@code null}
	 * where the kernel has no such setting
	 * @param readAt when the kernel's table was read: the figures change only when it does, once per
	 * {@code responder.tcp.refresh-interval} while anyone asks
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record KernelView(boolean available, @Nullable String source, @Nullable Map<TcpState, Long> states,
			@Nullable AcceptQueue acceptQueue, @Nullable List<KernelListener> listeners,
			@Nullable Long hostListenOverflows, @Nullable Long hostListenDrops, @Nullable Boolean migrateRequests,
			@Nullable Instant readAt) {

		static KernelView of(PortView port) {
			if (!port.available()) {
				return new KernelView(false, null, null, null, null, null, null, null, null);
			}
			List<KernelListener> listeners = port.listeners()
				.stream()
				.map((listener) -> new KernelListener(Addresses.text(listener.address()), listener.inode(),
						new AcceptQueue(listener.acceptQueueDepth(), listener.acceptQueueLimit()), listener.drops()))
				.toList();
			return new KernelView(true, port.source(), port.states(),
					new AcceptQueue(port.acceptQueueDepth(), port.acceptQueueLimit()), listeners,
					port.hostListenOverflows(), port.hostListenDrops(), port.migrateRequests(), port.readAt());
		}

	}

	/**
	 * One listening socket on the port, as the kernel reports it.
	 *
	 * @param address its local address ({@code ::} or {@code 0.0.0.0} for every address)
	 * @param inode its inode, as {@code ss -e} shows it
	 * @param acceptQueue its accept queue
	 * @param drops the handshakes the kernel dropped on it, a full queue's included; absent where the table does not
	 * tell them ({@code /proc/net/tcp})
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record KernelListener(String address, long inode, AcceptQueue acceptQueue, @Nullable Long drops) {
	}

	/**
	 * A listener's accept queue.
	 *
	 * @param depth connections waiting to be accepted
	 * @param limit how many may wait
	 */
	record AcceptQueue(long depth, long limit) {
	}

}
