package io.tcpresponder.responder.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.tcpresponder.kernel.bind.BindOracle;
import io.tcpresponder.kernel.bind.KernelClock;
import io.tcpresponder.responder.KernelClocks;
import io.tcpresponder.responder.KernelSocketTable;
import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.AccessLog;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.connection.ConnectionCounts;
import io.tcpresponder.responder.connection.ConnectionHandler;
import io.tcpresponder.responder.limit.ConnectionLimits;
import io.tcpresponder.responder.proxy.ProxyProtocol;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.Transports;
import io.tcpresponder.transport.SocketOptions;
import io.tcpresponder.transport.Transport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The responders of a test, on one transport (registered with {@code @RegisterExtension}, usually from a class that
 * runs {@link io.tcpresponder.support.EachTransport on each transport}): loads the transport before each test as
 * {@link Transports} does, creates responders on it, and after the test resets the clients it holds, and stops the
 * client threads and every responder.
 */
public final class Responders implements BeforeEachCallback, AfterEachCallback {

	/** Bounds a wait on the counts: a failure, not a speed claim. */
	private static final Duration WAIT = Duration.ofSeconds(30);

	private final TransportChoice choice;

	private final ExecutorService clients;

	private final List<TcpResponder> responders = new ArrayList<>();

	private final List<Socket> held = new ArrayList<>();

	/** The kernel's clock as the service reads it, chosen once. */
	private static final Supplier<Optional<KernelClock>> CLOCK = KernelClocks.choose();

	/** What most tests bind: a short backlog, every other option as configured by default. */
	public static final SocketOptions OPTIONS = SocketOptionsProperties.defaults().withBacklog(32);

	private Transport transport;

	/**
	 * Responders on the given transport, with no client threads.
	 * @param choice the transport
	 */
	public Responders(TransportChoice choice) {
		this(choice, 0);
	}

	/**
	 * Responders on the given transport, with a pool of client threads for the test.
	 * @param choice the transport
	 * @param clientThreads how many threads {@link #clients()} has
	 */
	public Responders(TransportChoice choice, int clientThreads) {
		this.choice = choice;
		this.clients = (clientThreads > 0) ? Executors.newFixedThreadPool(clientThreads) : null;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.transport = Transports.load(this.choice);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		resetHeld();
		if (this.clients != null) {
			this.clients.shutdownNow();
		}
		this.responders.forEach((responder) -> responder.stop(Duration.ofSeconds(1)));
	}

	public TransportChoice choice() {
		return this.choice;
	}

	public Transport transport() {
		return this.transport;
	}

	/**
	 * The threads that clients of the test run on.
	 * @return the pool, shut down after the test
	 */
	public ExecutorService clients() {
		if (this.clients == null) {
			throw new IllegalStateException("Responders created without client threads");
		}
		return this.clients;
	}

	/**
	 * A client from the given address that connects and neither reads nor closes until the test ends.
	 * @param from the client's local address
	 * @param port the port it connects to on the loopback address
	 * @return the connected socket, reset after the test
	 * @throws IOException if it cannot connect
	 */
	public Socket hold(InetAddress from, int port) throws IOException {
		Socket socket = Clients.connectFrom(from, port);
		this.held.add(socket);
		return socket;
	}

	/**
	 * Resets the clients held so far ({@link Clients#reset}): no TIME_WAIT is left on their addresses to block a later
	 * test's bind. After each test, and before that by a test whose clients must go before something else does.
	 */
	public void resetHeld() {
		this.held.forEach(Clients::reset);
		this.held.clear();
	}

	/**
	 * A responder on the transport, not started yet, stopped after the test.
	 * @return the responder
	 */
	TcpResponder create(ListenerSettings settings, String line, CloseMode closeMode, Duration writeTimeout,
			Duration clientCloseTimeout) {
		return create(settings, line, closeMode, writeTimeout, clientCloseTimeout, false);
	}

	/**
	 * A responder on the transport, not started yet, stopped after the test.
	 * @param retryBind whether it binds again by itself when refused with EADDRINUSE ({@code responder.retry-bind})
	 * @return the responder
	 */
	TcpResponder create(ListenerSettings settings, String line, CloseMode closeMode, Duration writeTimeout,
			Duration clientCloseTimeout, boolean retryBind) {
		TcpResponder responder = newResponder(this.transport, settings, line, closeMode, writeTimeout,
				clientCloseTimeout, retryBind, AccessLog.OFF);
		this.responders.add(responder);
		return responder;
	}

	/**
	 * A responder on the transport with an access log, started, stopped after the test.
	 * @return the responder, listening
	 */
	public TcpResponder start(ListenerSettings settings, String line, CloseMode closeMode, Duration clientCloseTimeout,
			AccessLog accessLog) {
		TcpResponder responder = newResponder(this.transport, settings, line, closeMode, Duration.ofSeconds(10),
				clientCloseTimeout, false, accessLog);
		this.responders.add(responder);
		responder.start();
		return responder;
	}

	/**
	 * A responder on the transport, started, stopped after the test.
	 * @return the responder, listening
	 */
	public TcpResponder start(ListenerSettings settings, String line, CloseMode closeMode, Duration writeTimeout,
			Duration clientCloseTimeout) {
		TcpResponder responder = create(settings, line, closeMode, writeTimeout, clientCloseTimeout);
		responder.start();
		return responder;
	}

	/**
	 * A responder as the service builds it, not started: a connection handler of the given behaviour and limits of
	 * the settings, and a bind oracle that reads this host's socket table.
	 * @return the responder
	 */
	public static TcpResponder newResponder(Transport transport, ListenerSettings settings, String line,
			CloseMode closeMode, Duration writeTimeout, Duration clientCloseTimeout, boolean retryBind,
			AccessLog accessLog) {
		ConnectionHandler connections = new ConnectionHandler(transport, line, closeMode, writeTimeout,
				clientCloseTimeout, settings.limits(), accessLog, settings.proxyProtocol());
		return new TcpResponder(transport, settings, connections,
				new BindOracle(KernelSocketTable.choose().get(), CLOCK), retryBind);
	}

	/**
	 * Settings without connection limits: nothing is refused.
	 * @return the settings
	 */
	public static ListenerSettings settings(List<InetAddress> addresses, int port, SocketOptions options) {
		return new ListenerSettings(addresses, port, options, ConnectionLimits.NONE, ProxyProtocol.OFF);
	}

	/**
	 * Settings for one listener on every local address, on a port the kernel picks.
	 * @param options the socket options
	 * @return the settings
	 */
	public static ListenerSettings anyPort(SocketOptions options) {
		return settings(List.of(), 0, options);
	}

	/**
	 * Settings for one listener on every local address, on a port the kernel picks, with {@link #OPTIONS}.
	 * @return the settings
	 */
	public static ListenerSettings anyPort() {
		return anyPort(OPTIONS);
	}

	/**
	 * A restart's change of the socket options, the addresses and port kept.
	 * @param change makes the new options from the current ones
	 * @return the change of the settings
	 */
	public static UnaryOperator<ListenerSettings> options(UnaryOperator<SocketOptions> change) {
		return (settings) -> settings(settings.addresses(), settings.port(),
				change.apply(settings.options()));
	}

	/**
	 * Waits until a responder has accepted the given number of connections and serves none of them any more.
	 * @param responder the responder
	 * @param accepted the connections it accepts in all
	 */
	public static void awaitEnded(TcpResponder responder, long accepted) {
		await().atMost(WAIT).untilAsserted(() -> {
			ConnectionCounts.Snapshot counts = responder.connections().counts().snapshot();
			assertThat(counts.accepted()).isEqualTo(accepted);
			assertThat(counts.active()).isZero();
		});
	}

}
