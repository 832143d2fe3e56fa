package io.tcpresponder.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads a numeric kernel setting from {@code /proc/sys}.
 */
public final class Sysctl {

	private static final Path PROC = Path.of("/proc");

	private Sysctl() {
	}

	/**
	 * Reads a setting of this host.
	 * @param name the setting, such as {@code net.ipv4.tcp_migrate_req}
	 * @return its value, or empty where it does not exist (another kernel, not Linux)
	 */
	public static OptionalLong read(String name) {
		return read(PROC, name);
	}

	public static OptionalLong read(Path procDirectory, String name) {
		Path file = procDirectory.resolve("sys").resolve(name.replace('.', '/'));
		// One read from the start: a sysctl file answers nothing to a read at an offset, as Files.readString makes.
		try (InputStream in = Files.newInputStream(file)) {
			return OptionalLong.of(Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip()));
		}
		catch (IOException | NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

}
