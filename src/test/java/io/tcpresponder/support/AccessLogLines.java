package io.tcpresponder.support;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tcpresponder.responder.connection.AccessLog;
import org.slf4j.LoggerFactory;

/**
 * The access log's lines as a test reads them: kept from when it is made until it is closed, each as its key-value
 * fields (integers as longs).
 */
public final class AccessLogLines implements AutoCloseable {

	private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

	private AccessLogLines() {
		this.lines.start();
		logger().addAppender(this.lines);
	}

	/**
	 * Keeps every line of the access log from now on.
	 * @return the lines, until closed
	 */
	public static AccessLogLines keep() {
		return new AccessLogLines();
	}

	/** The lines so far, as logged. */
	public List<ILoggingEvent> events() {
		return List.copyOf(this.lines.list);
	}

	/** The lines so far, each as its fields. */
	public List<Map<String, Object>> fields() {
		return events().stream().map(AccessLogLines::fields).toList();
	}

	public int size() {
		return this.lines.list.size();
	}

	/**
	 * A line's key-value fields.
	 * @param event the line
	 * @return its fields, integers as longs
	 */
	public static Map<String, Object> fields(ILoggingEvent event) {
		return event.getKeyValuePairs().stream().collect(Collectors.toMap((pair) -> pair.key,
				(pair) -> (pair.value instanceof Integer number) ? (Object) number.longValue() : pair.value));
	}

	@Override
	public void close() {
		logger().detachAppender(this.lines);
	}

	private static Logger logger() {
		return (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
	}

}
