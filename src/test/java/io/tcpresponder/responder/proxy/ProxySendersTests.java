package io.tcpresponder.responder.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tcpresponder.responder.SocketOptionsProperties;
import io.tcpresponder.responder.TransportChoice;
import io.tcpresponder.responder.connection.AccessLog;
import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.limit.ConnectionLimits;
import io.tcpresponder.responder.limit.Refusal;
import io.tcpresponder.responder.server.Responders;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.support.AccessLogLines;
import io.tcpresponder.support.Clients;
import io.tcpresponder.support.EachTransport;
import io.tcpresponder.support.LocalPorts;
import io.tcpresponder.support.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.tcpresponder.support.Clients.LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real senders of the PROXY protocol in front of the responder, on free loopback ports: Debian's HAProxy
 * ({@code send-proxy} and {@code send-proxy-v2}, with its health checks) and nginx's stream proxy
 * ({@code proxy_protocol on}). Clients connect to the proxy from their own loopback addresses, which the proxy's
 * headers carry, so that the access log and the per-client limit can be seen to count them and not the proxy.
 */
@EachTransport
class ProxySendersTests {

	private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

	private static final Path NGINX = Path.of("/usr/sbin/nginx");

	private static final Path NGINX_STREAM = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

	/** Bounds a wait on a proxy or the counts: a failure, not a speed claim. */
	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

	private static final InetAddress CLIENT = InetAddress.ofLiteral("127.0.0.2");

	private static final InetAddress OTHER_CLIENT = InetAddress.ofLiteral("127.0.0.3");

	@RegisterExtension
	final Responders responders;

	@TempDir
	Path workDir;

	private final List<Process> proxies = new ArrayList<>();

	ProxySendersTests(TransportChoice choice) {
		this.responders = new Responders(choice);
	}

	/** The clients go first, reset, so that the proxies they reach leave no TIME_WAIT as they are killed. */
	@AfterEach
	void stopProxies() {
		this.responders.resetHeld();
		this.proxies.forEach(Process::destroyForcibly);
	}

	/**
	 * HAProxy with {@code send-proxy}: each client is logged and limited as itself, behind the one proxy; HAProxy's
	 * health checks send a header naming the check's own connection, and are served as the proxy's.
	 */
	@Test
	void haproxyV1() throws IOException {
		behindHaproxy("send-proxy", HeaderOutcome.V1, HeaderOutcome.V1);
	}

	/** HAProxy with {@code send-proxy-v2}: its health checks send the {@code LOCAL} command. */
	@Test
	void haproxyV2() throws IOException {
		behindHaproxy("send-proxy-v2", HeaderOutcome.V2, HeaderOutcome.LOCAL);
	}

	private void behindHaproxy(String sendProxy, HeaderOutcome outcome, HeaderOutcome checks) throws IOException {
		Tools.assumeInstalled(HAPROXY, "haproxy");
		try (AccessLogLines log = AccessLogLines.keep()) {
			TcpResponder responder = start(new ConnectionLimits(100, 1, 32, 64), CloseMode.CLIENT_FIRST);
			int front = LocalPorts.free();
			Path config = write("haproxy.cfg", """
					defaults
					    mode tcp
					    timeout connect 5s
					    timeout client 60s
					    timeout server 60s
					frontend clients
					    bind 127.0.0.1:%d
					    default_backend responder
					backend responder
					    server responder 127.0.0.1:%d %s check inter 100ms
					""".formatted(front, responder.settings().port(), sendProxy));
			run(List.of(HAPROXY.toString(), "-db", "-f", config.toString()), front);
			await("a health check served").atMost(WAIT).until(() -> headers(responder, checks) >= 1);
			long before = headers(responder, outcome);

			Socket holding = client(CLIENT, front);
			assertThat(Clients.readLine(holding)).isEqualTo(LINE);
			Socket again = client(CLIENT, front);
			assertThat(Clients.endsWithoutALine(again)).as("127.0.0.2 holds one connection already").isTrue();
			Socket other = client(OTHER_CLIENT, front);
			assertThat(Clients.readLine(other)).as("127.0.0.3 is another client behind the same proxy")
				.isEqualTo(LINE);
			// The client sees the reset as the responder closes, before it counts the refusal.
			await().atMost(WAIT)
				.until(() -> responder.connections().counts().refused(Refusal.MAX_CONNECTIONS_PER_CLIENT) == 1);
			assertThat(headers(responder, outcome) - before).as("the clients' headers, and any checks'")
				.isGreaterThanOrEqualTo(3);
			assertThat(headers(responder, HeaderOutcome.INVALID)).as("no check went without a header").isZero();

			other.close();
			await().atMost(WAIT).until(() -> log.fields()
				.stream()
				.anyMatch((line) -> "127.0.0.3".equals(line.get("client.address"))));
			Map<String, Object> closed = log.fields()
				.stream()
				.filter((line) -> "127.0.0.3".equals(line.get("client.address")))
				.findFirst()
				.orElseThrow();
			assertThat(closed).containsEntry("outcome", "client-closed")
				.containsEntry("client.port", (long) other.getLocalPort())
				.containsEntry("proxy.address", "127.0.0.1");
			assertThat(log.fields().stream())
				.anySatisfy((line) -> assertThat(line).containsEntry("client.address", "127.0.0.2")
					.containsEntry("outcome", "refused-max-connections-per-client"));
		}
	}

	/** nginx's stream proxy with {@code proxy_protocol on}: a version 1 header naming each client. */
	@Test
	void nginxStreamProxy() throws IOException {
		Tools.assumeInstalled(NGINX, "nginx-light");
		Tools.assumeInstalled(NGINX_STREAM, "libnginx-mod-stream");
		try (AccessLogLines log = AccessLogLines.keep()) {
			TcpResponder responder = start(ConnectionLimits.NONE, CloseMode.SERVER_FIRST);
			int front = LocalPorts.free();
			Path config = write("nginx.conf", """
					load_module %s;
					daemon off;
					master_process off;
					worker_processes 1;
					pid %s;
					error_log %s info;
					events {
					}
					stream {
					    server {
					        listen 127.0.0.1:%d;
					        proxy_pass 127.0.0.1:%d;
					        proxy_protocol on;
					    }
					}
					""".formatted(NGINX_STREAM, this.workDir.resolve("nginx.pid"), this.workDir.resolve("error.log"),
					front, responder.settings().port()));
			run(List.of(NGINX.toString(), "-p", this.workDir.toString(), "-e", this.workDir.resolve("error.log").toString(),
					"-c", config.toString()), front);
			for (InetAddress from : List.of(CLIENT, OTHER_CLIENT)) {
				Socket client = client(from, front);
				assertThat(Clients.readToEnd(client)).isEqualTo(LINE);
			}
			// Beside the probe that saw nginx listen, which nginx passed on as a client of its own, 127.0.0.1.
			await().atMost(WAIT).until(() -> log.size() == 3);
			assertThat(log.fields()).extracting((line) -> line.get("client.address"))
				.containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2", "127.0.0.3");
			assertThat(log.fields()).extracting((line) -> line.get("proxy.address"))
				.containsOnly("127.0.0.1");
			assertThat(headers(responder, HeaderOutcome.V1)).isEqualTo(3);
		}
	}

	private TcpResponder start(ConnectionLimits limits, CloseMode closeMode) {
		return this.responders.start(Responders.settings(List.of(LOOPBACK), 0,
				SocketOptionsProperties.defaults().withBacklog(128))
			.withLimits(limits)
			.withProxyProtocol(new ProxyProtocol(true, List.of(AddressBlock.parse("127.0.0.1")), Duration.ofSeconds(3))),
				LINE, closeMode, Duration.ofSeconds(60), new AccessLog(true));
	}

	/** Starts a proxy and waits until its front port takes connections: one connection, which it passes on. */
	private void run(List<String> command, int front) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.workDir.resolve("proxy.log").toFile())
			.start();
		this.proxies.add(process);
		await().atMost(WAIT).until(() -> {
			assertThat(process.isAlive()).as("%s: %s", command, log()).isTrue();
			try (Socket probe = new Socket()) {
				probe.connect(new InetSocketAddress(LOOPBACK, front), 1000);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	private String log() {
		try {
			return Files.readString(this.workDir.resolve("proxy.log"));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private Socket client(InetAddress from, int front) throws IOException {
		return this.responders.hold(from, front);
	}

	private Path write(String name, String text) {
		try {
			return Files.writeString(this.workDir.resolve(name), text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long headers(TcpResponder responder, HeaderOutcome outcome) {
		return responder.connections().headerCounts().count(outcome);
	}

}
