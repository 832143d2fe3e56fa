package io.tcpresponder.responder.server;

import io.tcpresponder.kernel.bind.BindVerdict;
import io.tcpresponder.transport.KernelError;
import org.jspecify.annotations.Nullable;

/**
 * What came of a restart: the new listener is bound, its bind failed, or the mode refused to start.
 */
public sealed interface RestartResult {

	/**
	 * Whether a new listener is bound.
	 * @return {@code true} only for {@link Bound}
	 */
	default boolean bound() {
		return this instanceof Bound;
	}

	/**
	 * The result of a bind that failed.
	 * @param failure the failure
	 * @return the first address that did not bind, with its error
	 */
	static BindFailed failed(ResponderBindException failure) {
		ResponderBindException.Failure first = failure.getFailures().getFirst();
		return new BindFailed(first.address(), first.error(), first.verdict());
	}

	/**
	 * The new listener is bound.
	 */
	record Bound() implements RestartResult {
	}

	/**
	 * A new listener did not bind; the state tells which listeners listen.
	 *
	 * @param address the address of the first listener that did not bind, as users write it
	 * @param error why its bind failed
	 * @param verdict for EADDRINUSE, what held the address; else {@code null}
	 */
	record BindFailed(String address, KernelError error, @Nullable BindVerdict verdict) implements RestartResult {
	}

	/**
	 * The mode cannot replace the listener as the responder is; nothing changed.
	 *
	 * @param detail why, for the operator
	 */
	record Refused(String detail) implements RestartResult {
	}

}
