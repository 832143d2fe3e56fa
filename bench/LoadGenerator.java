import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * A closed-loop load generator for the responder: CONC clients, each connecting, reading until the server closes,
 * checking the line, and connecting again, for SECS seconds. Prints one line of figures.
 *
 * <p>
 * Runs from source, no build needed: {@code java bench/LoadGenerator.java --port 9000 --conc 64 --secs 10}
 * (also {@code --host}, {@code --line}, with {@code \n} for a newline).
 */
public final class LoadGenerator {

	public static void main(String[] args) throws Exception {
		String host = "127.0.0.1";
		int port = 9000;
		int concurrency = 8;
		double seconds = 5;
		String line = "I sent sth to client!\n";
		for (int i = 0; i + 1 < args.length; i += 2) {
			switch (args[i]) {
				case "--host" -> host = args[i + 1];
				case "--port" -> port = Integer.parseInt(args[i + 1]);
				case "--conc" -> concurrency = Integer.parseInt(args[i + 1]);
				case "--secs" -> seconds = Double.parseDouble(args[i + 1]);
				case "--line" -> line = args[i + 1].replace("\\n", "\n");
				default -> throw new IllegalArgumentException("unknown argument " + args[i]);
			}
		}
		byte[] expected = line.getBytes(StandardCharsets.UTF_8);
		InetSocketAddress address = new InetSocketAddress(host, port);
		long deadline = System.nanoTime() + (long) (seconds * 1e9);
		List<Client> clients = new ArrayList<>();
		CountDownLatch done = new CountDownLatch(concurrency);
		for (int i = 0; i < concurrency; i++) {
			Client client = new Client(address, expected, deadline, done);
			clients.add(client);
			Thread thread = new Thread(client, "client-" + i);
			thread.setDaemon(true);
			thread.start();
		}
		long started = System.nanoTime();
		done.await();
		double elapsed = (System.nanoTime() - started) / 1e9;
		long ok = 0;
		long errors = 0;
		long badContent = 0;
		int samples = 0;
		for (Client client : clients) {
			ok += client.ok;
			errors += client.errors;
			badContent += client.badContent;
			samples += client.count;
		}
		long[] latencies = new long[samples];
		int at = 0;
		for (Client client : clients) {
			System.arraycopy(client.latencies, 0, latencies, at, client.count);
			at += client.count;
		}
		Arrays.sort(latencies);
		System.out.printf(Locale.ROOT,
				"conns=%d rate=%.0f/s p50=%dus p90=%dus p99=%dus p999=%dus max=%dus errors=%d bad_content=%d conc=%d secs=%.1f%n",
				ok, ok / elapsed, percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
				percentile(latencies, 99.9), (samples > 0) ? latencies[samples - 1] / 1000 : 0, errors, badContent,
				concurrency, elapsed);
	}

	private static long percentile(long[] sorted, double percent) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(percent / 100 * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1000;
	}

	private static final class Client implements Runnable {

		private final InetSocketAddress address;

		private final byte[] expected;

		private final long deadline;

		private final CountDownLatch done;

		private long[] latencies = new long[1 << 16];

		private int count;

		private long ok;

		private long errors;

		private long badContent;

		Client(InetSocketAddress address, byte[] expected, long deadline, CountDownLatch done) {
			this.address = address;
			this.expected = expected;
			this.deadline = deadline;
			this.done = done;
		}

		@Override
		public void run() {
			byte[] buffer = new byte[this.expected.length + 1];
			try {
				while (System.nanoTime() < this.deadline) {
					long start = System.nanoTime();
					try (Socket socket = new Socket()) {
						socket.connect(this.address, 5000);
						socket.setSoTimeout(5000);
						int received = readToEnd(socket.getInputStream(), buffer);
						if (received == this.expected.length
								&& Arrays.equals(buffer, 0, received, this.expected, 0, received)) {
							this.ok++;
							record(System.nanoTime() - start);
						}
						else {
							this.badContent++;
						}
					}
					catch (IOException ex) {
						this.errors++;
					}
				}
			}
			finally {
				this.done.countDown();
			}
		}

		private static int readToEnd(InputStream in, byte[] buffer) throws IOException {
			int total = 0;
			for (int n; (n = in.read(buffer, Math.min(total, buffer.length - 1),
					buffer.length - Math.min(total, buffer.length - 1))) != -1;) {
				total += n;
			}
			return total;
		}

		private void record(long nanos) {
			if (this.count == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.count * 2);
			}
			this.latencies[this.count++] = nanos;
		}

	}

}
