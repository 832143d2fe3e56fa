package io.tcpresponder.responder;

import io.tcpresponder.responder.server.ResponderBindException;
import io.tcpresponder.responder.server.TcpResponder;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link TcpResponder} with the application context once {@link EarlyResponderStart} has started it: takes
 * it over from the {@link StartupShutdownHook} and stops it on shutdown. The responder binds here only when the
 * context is started again after a stop.
 */
class TcpResponderLifecycle implements SmartLifecycle {

	/**
	 * Before the web server (lower phases start first and stop last): clients are served as soon as possible, and
	 * until the HTTP side has shut down.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final TcpResponder responder;

	private final ResponderProperties properties;

	private final StartupShutdownHook startupShutdown;

	private volatile boolean running;

	TcpResponderLifecycle(TcpResponder responder, ResponderProperties properties,
			StartupShutdownHook startupShutdown) {
		this.responder = responder;
		this.properties = properties;
		this.startupShutdown = startupShutdown;
	}

	@Override
	public void start() {
		if (!this.startupShutdown.releaseToLifecycle()) {
			return; // The JVM is shutting down during the startup: the hook has stopped the responder.
		}
		try {
			this.responder.start(); // Binds only if stopped: after a stop of the context, not at its first start.
		}
		catch (ResponderBindException ex) {
			if (this.properties.failFast()) {
				throw ex;
			}
			// Otherwise the responder stays FAILED, readiness is down, and a restart may bind later.
		}
		this.running = true;
	}

	@Override
	public void stop() {
		if (this.running) {
			this.running = false;
			this.responder.stop(this.properties.shutdownTimeout());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
