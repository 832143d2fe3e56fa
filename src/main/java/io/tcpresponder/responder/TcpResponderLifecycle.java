package io.tcpresponder.responder;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link TcpResponder} with the application context: starts it, unless {@link EarlyResponderStart} already
 * has (as it does in the application, and then takes it over from its {@link StartupShutdownHook}), and stops it on
 * shutdown, or again when the context is started after a stop.
 */
class TcpResponderLifecycle implements SmartLifecycle {

	/**
	 * Before the web server (lower phases start first and stop last): clients are served as soon as possible, and
	 * until the HTTP side has shut down.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final TcpResponder responder;

	private final ResponderProperties properties;

	private final @Nullable StartupShutdownHook startupShutdown;

	private volatile boolean running;

	TcpResponderLifecycle(TcpResponder responder, ResponderProperties properties,
			@Nullable StartupShutdownHook startupShutdown) {
		this.responder = responder;
		this.properties = properties;
		this.startupShutdown = startupShutdown;
	}

	@Override
	public void start() {
		if (this.startupShutdown != null && !this.startupShutdown.handOver()) {
			return; // The JVM is shutting down during the startup: the hook has stopped the responder.
		}
		try {
			this.responder.start();
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
