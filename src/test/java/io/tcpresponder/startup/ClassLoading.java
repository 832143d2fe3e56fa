package io.tcpresponder.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JVM took its classes from, as its {@code -Xlog:class+load} log says: the AOT cache ({@code source: shared
 * objects file}) or elsewhere (a jar, the runtime image, generated at run time).
 *
 * @param loaded every class loaded, by name
 * @param fromCache the classes that came from the AOT cache
 */
record ClassLoading(List<String> loaded, List<String> fromCache) {

	/** The service's own classes. */
	static final String SERVICE = "io.tcpresponder.";

	private static final Pattern LINE = Pattern.compile("\\[class,load\\s*\\] (\\S+) source: (.*)$");

	/**
	 * The JVM option that writes the log this reads.
	 * @param log the file
	 * @return the option
	 */
	static String option(Path log) {
		return "-Xlog:class+load=info:file=" + log;
	}

	static ClassLoading read(Path log) {
		try {
			List<Matcher> lines = Files.readAllLines(log)
				.stream()
				.map(LINE::matcher)
				.filter(Matcher::find)
				.toList();
			return new ClassLoading(lines.stream().map((line) -> line.group(1)).toList(),
					lines.stream().filter((line) -> line.group(2).equals("shared objects file")).map((line) -> line.group(1)).toList());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	List<String> service() {
		return this.loaded.stream().filter((name) -> name.startsWith(SERVICE)).toList();
	}

	List<String> serviceFromCache() {
		return this.fromCache.stream().filter((name) -> name.startsWith(SERVICE)).toList();
	}

	@Override
	public String toString() {
		return "%d of %d classes from the AOT cache, %d of the service's own %d".formatted(this.fromCache.size(),
				this.loaded.size(), serviceFromCache().size(), service().size());
	}

}
