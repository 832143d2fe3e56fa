package io.tcpresponder.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ListenCountersTests {

	@Test
	void readsTheTcpExtCounters() throws IOException {
		ListenCounters counters = ListenCounters.read(ProcSocketTableTests.NET.resolve("netstat"));
		assertThat(counters).isEqualTo(new ListenCounters(4, 4));
	}

	@Test
	void aMissingFileReadsAsZero(@TempDir Path dir) throws IOException {
		assertThat(ListenCounters.read(dir.resolve("netstat"))).isEqualTo(ListenCounters.NONE);
	}

	@Test
	void missingCountersReadAsZero(@TempDir Path dir) throws IOException {
		Path netstat = dir.resolve("netstat");
		Files.writeString(netstat, "TcpExt: SyncookiesSent ListenDrops\nTcpExt: 1 7\nIpExt: InNoRoutes\nIpExt: 0\n");
		assertThat(ListenCounters.read(netstat)).isEqualTo(new ListenCounters(0, 7));
	}

}
