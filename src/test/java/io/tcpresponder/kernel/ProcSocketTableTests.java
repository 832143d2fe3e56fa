package io.tcpresponder.kernel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests of {@link ProcSocketTable} on tables copied from {@code /proc/net} (under {@code kernel/proc/net}).
 */
class ProcSocketTableTests {

	static final Path NET = Path.of("src/test/resources/kernel/proc/net");

	private final ProcSocketTable reader = new ProcSocketTable(NET.getParent());

	@Test
	void countsTheSocketsWhoseLocalPortIsThePort() throws IOException {
		KernelTcpView.Tally tally = tally(8095, "tcp");
		assertThat(tally.count(TcpState.LISTEN)).isOne();
		assertThat(tally.count(TcpState.ESTABLISHED)).isEqualTo(3);
		assertThat(tally.count(TcpState.TIME_WAIT)).isEqualTo(2);
		assertThat(tally.count(TcpState.CLOSE_WAIT)).isOne();
		// The clients' ends (remote port 8095), one in FIN_WAIT2, are not the port's sockets.
		assertThat(tally.count(TcpState.FIN_WAIT2)).isZero();
		assertThat(tally.acceptQueueDepth()).isEqualTo(2);
	}

	@Test
	void addsUpOverIpv4AndIpv6Tables() throws IOException {
		KernelTcpView.Tally tally = tally(8095, "tcp", "tcp6");
		assertThat(tally.count(TcpState.LISTEN)).isEqualTo(2);
		assertThat(tally.count(TcpState.ESTABLISHED)).isEqualTo(4);
		assertThat(tally.count(TcpState.TIME_WAIT)).isEqualTo(3);
		assertThat(tally.acceptQueueDepth()).isEqualTo(3);
	}

	@Test
	void countsIpv4ClientsOfADualStackListener() throws IOException {
		KernelTcpView.Tally tally = tally(8081, "tcp6");
		assertThat(tally.count(TcpState.LISTEN)).isOne();
		assertThat(tally.count(TcpState.ESTABLISHED)).isEqualTo(2);
		assertThat(tally.count(TcpState.TIME_WAIT)).isEqualTo(3);
		tally = tally(8082, "tcp6");
		assertThat(tally.count(TcpState.LISTEN)).isOne();
		assertThat(tally.acceptQueueDepth()).isEqualTo(2);
	}

	@Test
	void readsLinesCutByTheEndOfTheBuffer() throws IOException {
		ProcSocketTable small = new ProcSocketTable(NET.getParent(), 200);
		KernelTcpView.Tally tally = new KernelTcpView.Tally(-1);
		// One byte per read call, so that every line is cut.
		try (InputStream in = new TrickleInputStream(Files.readAllBytes(NET.resolve("tcp6")))) {
			small.forEach(in, true, 8095, tally::add);
		}
		assertThat(tally.count(TcpState.LISTEN)).isOne();
		assertThat(tally.count(TcpState.ESTABLISHED)).isOne();
		assertThat(tally.count(TcpState.TIME_WAIT)).isOne();
		assertThat(tally.acceptQueueDepth()).isOne();
	}

	@Test
	void readsALastLineWithoutANewline() throws IOException {
		String table = "  sl  local_address rem_address   st tx_queue rx_queue\n"
				+ "   0: 0100007F:1F9F 00000000:0000 0A 00000000:00000004 00:00000000 00000000";
		KernelTcpView.Tally tally = new KernelTcpView.Tally(-1);
		this.reader.forEach(new ByteArrayInputStream(table.getBytes(StandardCharsets.US_ASCII)), false, 8095, tally::add);
		assertThat(tally.count(TcpState.LISTEN)).isOne();
		assertThat(tally.acceptQueueDepth()).isEqualTo(4);
	}

	@Test
	void skipsLinesThatDoNotRead() throws IOException {
		String table = "  sl  local_address rem_address   st tx_queue rx_queue\n" + "\n" + "garbage\n"
				+ "   0: 0100007F:1F9F 00000000:0000 07 00000000:00000000\n" // CLOSE, not reported
				+ "   1: 0100007F:1F9F 00000000:0000 ZZ 00000000:00000000\n"
				+ "   2: 0100007F:1F9F 0100007F:AD7E 06 00000000:00000000\n";
		KernelTcpView.Tally tally = new KernelTcpView.Tally(-1);
		this.reader.forEach(new ByteArrayInputStream(table.getBytes(StandardCharsets.US_ASCII)), false, 8095, tally::add);
		assertThat(tally.count(TcpState.TIME_WAIT)).isOne();
		long total = 0;
		for (TcpState state : TcpState.values()) {
			total += tally.count(state);
		}
		assertThat(total).isOne();
	}

	@Test
	void aLineLongerThanTheBufferIsAnError() {
		ProcSocketTable small = new ProcSocketTable(NET.getParent(), 64);
		byte[] table = ("header\n" + "x".repeat(100) + "\n").getBytes(StandardCharsets.US_ASCII);
		assertThatIOException()
			.isThrownBy(() -> small.forEach(new ByteArrayInputStream(table), false, 8095, (socket) -> {
			}))
			.withMessageContaining("longer than 64 bytes");
	}

	@Test
	void aMissingTableAddsNothing(@TempDir Path dir) throws IOException {
		KernelTcpView.Tally tally = new KernelTcpView.Tally(-1);
		this.reader.forEach(dir.resolve("tcp6"), 8095, tally::add);
		assertThat(tally.count(TcpState.LISTEN)).isZero();
	}

	/** The sockets on the port in the given tables of the recorded {@code /proc/net}, tallied. */
	private KernelTcpView.Tally tally(int port, String... tables) throws IOException {
		KernelTcpView.Tally tally = new KernelTcpView.Tally(-1);
		for (String table : tables) {
			this.reader.forEach(NET.resolve(table), port, tally::add);
		}
		return tally;
	}

	/**
	 * Hands out one byte per read call.
	 */
	private static final class TrickleInputStream extends ByteArrayInputStream {

		TrickleInputStream(byte[] bytes) {
			super(bytes);
		}

		@Override
		public synchronized int read(byte[] b, int off, int len) {
			return super.read(b, off, Math.min(len, 1));
		}

	}

}
