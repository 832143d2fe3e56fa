package io.tcpresponder.responder;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.tcpresponder.responder.server.TcpResponder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Stops the TCP responder at once when the JVM is told to shut down (SIGTERM) while the application context is still
 * starting, and ends the process there.
 *
 * <p>
 * {@link EarlyResponderStart} starts the responder before the context is refreshed. Spring's own shutdown hook closes
 * the context only once its refresh has finished ({@code AbstractApplicationContext.close()} waits for the
 * startup/shutdown lock that the refresh holds), so a SIGTERM during startup would be answered seconds later, after
 * the whole startup, while the port kept accepting. This hook runs beside Spring's: if the context's lifecycle has not
 * taken the responder over yet, it stops the responder (writes in progress get the shutdown timeout, then are reset:
 * a client gets the whole line or nothing) and halts the JVM with SIGTERM's exit status, abandoning the startup.
 * Nothing else serves yet that a graceful close would let finish: the web server starts with the context's lifecycle.
 * Once {@link TcpResponderLifecycle} has started, the hook is removed, and Spring's shutdown stops the responder in
 * its phase.
 */
final class StartupShutdownHook {

	static final String BEAN_NAME = "tcpResponderStartupShutdownHook";

	/** What the JVM exits with on SIGTERM (128 + 15), which a halt must give itself. */
	static final int SIGTERM_EXIT_STATUS = 143;

	private static final Log logger = LogFactory.getLog(StartupShutdownHook.class);

	private final TcpResponder responder;

	private final Duration shutdownTimeout;

	private final Thread thread = new Thread(this::run, "responder-startup-shutdown");

	private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

	StartupShutdownHook(TcpResponder responder, Duration shutdownTimeout) {
		this.responder = responder;
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Registers the hook with the JVM, before the responder starts.
	 * @return whether the responder may start: not when the JVM is shutting down already
	 */
	boolean register() {
		try {
			Runtime.getRuntime().addShutdownHook(this.thread);
			return true;
		}
		catch (IllegalStateException ex) {
			this.state.set(State.STOPPED);
			return false;
		}
	}

	/**
	 * Hands the responder over to the context's lifecycle, which stops it from then on.
	 * @return whether the lifecycle may run the responder: not once this hook has stopped it
	 */
	boolean releaseToLifecycle() {
		if (this.state.compareAndSet(State.STARTING, State.HANDED_OVER)) {
			remove();
		}
		return this.state.get() == State.HANDED_OVER;
	}

	/**
	 * Stops the responder, if it listens, when the startup failed before the context's lifecycle took it over.
	 */
	void startupFailed() {
		if (this.state.compareAndSet(State.STARTING, State.STOPPED)) {
			remove();
			if (this.responder.status().serving()) {
				this.responder.stop(this.shutdownTimeout);
			}
		}
	}

	private void remove() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.thread);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down: the hook runs and, no longer STARTING, does nothing.
		}
	}

	private void run() {
		if (this.state.compareAndSet(State.STARTING, State.STOPPED)) {
			logger.info("Shutdown requested while the application is starting: stopping the TCP responder and "
					+ "abandoning the startup");
			this.responder.stop(this.shutdownTimeout);
			Runtime.getRuntime().halt(SIGTERM_EXIT_STATUS);
		}
	}

	private enum State {

		/** The context is starting; the hook stops the responder on shutdown. */
		STARTING,

		/** The context's lifecycle runs the responder. */
		HANDED_OVER,

		/** The responder was stopped here, or never started, and must not start again. */
		STOPPED

	}

}
