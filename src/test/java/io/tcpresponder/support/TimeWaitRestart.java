package io.tcpresponder.support;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lesson's refusal over HTTP: three clients get the line from a running service, which closes first and keeps their
 * TIME_WAIT; a restart without SO_REUSEADDR is then refused until the kernel drops them.
 */
public final class TimeWaitRestart {

	/** Bounds the wait for the kernel's tables: a failure, not a speed claim. */
	private static final Duration WAIT = Duration.ofSeconds(30);

	private TimeWaitRestart() {
	}

	/**
	 * Serves three clients on the given address, waits for their TIME_WAIT (beside any earlier), and asks for a restart
	 * without SO_REUSEADDR.
	 * @param operator the service's actuator, with operator credentials
	 * @param address the address the responder listens on
	 * @return the restart's answer
	 */
	public static HttpResponse<String> refused(Actuator operator, InetAddress address) {
		leaveTimeWait(operator, address);
		return operator.post("/actuator/responder/restart", "{\"reuseAddress\": false}");
	}

	/**
	 * Serves three clients on the given address and waits for their TIME_WAIT (beside any earlier).
	 * @param operator the service's actuator
	 * @param address the address the responder listens on
	 */
	public static void leaveTimeWait(Actuator operator, InetAddress address) {
		int port = operator.responder().get("port").asInt();
		for (int i = 0; i < 3; i++) {
			assertThat(Clients.fetch(address, port)).isEqualTo(Clients.LINE);
		}
		await().atMost(WAIT).until(() -> KernelSockets.count("time-wait", port) >= 3);
	}

}
