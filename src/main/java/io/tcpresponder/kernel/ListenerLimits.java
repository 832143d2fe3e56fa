package io.tcpresponder.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Reads the accept queue limit of a port's listeners with {@code ss} (iproute2).
 *
 * <p>
 * {@code /proc/net/tcp} does not have it: for a listener its {@code tx_queue} column is
 * {@code write_seq - snd_una}, always 0, and only {@code rx_queue} (the accept queue) is set. The kernel gives the
 * limit ({@code sk_max_ack_backlog}) only through sock_diag netlink, which the JDK cannot open; {@code ss} is its
 * client. A call takes about 3 ms on a quiet host and 30 ms with 130,000 TIME_WAIT sockets, so {@link KernelTcpView}
 * makes it only when the port's listeners change. Where {@code ss} is missing or fails the limit reads 0.
 */
final class ListenerLimits {

	private static final Log logger = LogFactory.getLog(ListenerLimits.class);

	private static final long TIMEOUT_MILLIS = 2000;

	private ListenerLimits() {
	}

	/**
	 * The accept queue limit of the port's listeners, summed.
	 * @param port the local port
	 * @return the limit, 0 if it cannot be read
	 */
	static long read(int port) {
		Process process = null;
		try {
			process = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
			// A few lines at most: they wait in the pipe until ss has ended.
			if (!process.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
				return 0;
			}
			long limit = 0;
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
				for (String line; (line = out.readLine()) != null;) {
					limit += sendQueue(line);
				}
			}
			return limit;
		}
		catch (IOException ex) {
			logger.debug("Unable to run ss for the accept queue limit", ex);
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
		finally {
			if (process != null) {
				process.destroyForcibly();
			}
		}
	}

	/**
	 * The Send-Q column of a line such as {@code LISTEN 2      5      [::ffff:127.0.0.1]:8083 *:*}: for a listener,
	 * its backlog limit.
	 */
	static long sendQueue(String line) {
		String[] columns = line.trim().split("\\s+");
		if (columns.length < 3 || !"LISTEN".equals(columns[0])) {
			return 0;
		}
		try {
			return Long.parseLong(columns[2]);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
