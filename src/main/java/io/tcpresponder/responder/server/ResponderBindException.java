package io.tcpresponder.responder.server;

import java.util.List;
import java.util.stream.Collectors;

import io.tcpresponder.kernel.bind.BindVerdict;
import io.tcpresponder.transport.KernelError;
import org.jspecify.annotations.Nullable;

/**
 * One or more of the responder's listeners could not be bound: which addresses, and the kernel's error for each.
 */
public class ResponderBindException extends RuntimeException {

	private final transient ListenerSettings settings;

	private final transient List<Failure> failures;

	ResponderBindException(ListenerSettings settings, String address, KernelError error, @Nullable BindVerdict verdict,
			Throwable cause) {
		this(settings, List.of(new Failure(address, error, verdict)), cause);
	}

	private ResponderBindException(ListenerSettings settings, List<Failure> failures, Throwable cause) {
		super(failures.stream()
			.map((failure) -> failure.address() + " port " + settings.port() + ": " + failure.error().code() + " ("
					+ failure.error().message() + ")"
					+ ((failure.verdict() != null) ? ", " + failure.verdict().describe() : ""))
			.collect(Collectors.joining("; on ", "Unable to start the TCP responder on ", "")), cause);
		this.settings = settings;
		this.failures = List.copyOf(failures);
	}

	/**
	 * The failures of several listeners as one.
	 * @param each the failure of each listener that did not bind, at least one
	 * @return one exception naming every address that failed, caused by the first failure
	 */
	static ResponderBindException of(List<ResponderBindException> each) {
		if (each.size() == 1) {
			return each.getFirst();
		}
		ResponderBindException first = each.getFirst();
		return new ResponderBindException(first.settings,
				each.stream().flatMap((failure) -> failure.failures.stream()).toList(), first.getCause());
	}

	public ListenerSettings getSettings() {
		return this.settings;
	}

	/**
	 * The addresses that did not bind, each with its error, in the order of the settings.
	 * @return the failures
	 */
	public List<Failure> getFailures() {
		return this.failures;
	}

	/**
	 * The error of the first address that did not bind.
	 * @return the error
	 */
	public KernelError getError() {
		return this.failures.getFirst().error();
	}

	/**
	 * An address that did not bind.
	 *
	 * @param address the address as users write it
	 * @param error the kernel's error
	 * @param blockers for EADDRINUSE, the sockets that held the address; else {@code null}
	 */
	public record Failure(String address, KernelError error, @Nullable BindVerdict verdict) {
	}

}
