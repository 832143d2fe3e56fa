package io.tcpresponder.responder;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the TCP responder as soon as the configuration is complete, before the application context is refreshed:
 * the port serves clients while the web server, actuator and security are still being set up. The responder then
 * joins the context as the {@code tcpResponder} bean, and {@link TcpResponderLifecycle} stops it on shutdown; until
 * the lifecycle takes it over, a {@link StartupShutdownHook} stops it if the JVM is told to shut down, and a failed
 * startup stops it here.
 *
 * <p>
 * It waits for the prepared context rather than the prepared environment, since initializers may still add property
 * sources in between. Bad configuration fails the startup here, with the same report as any other bound properties;
 * a port that cannot be bound leaves the responder FAILED, or fails the startup with {@code responder.fail-fast}.
 */
class EarlyResponderStart implements ApplicationListener<SpringApplicationEvent> {

	static final String BEAN_NAME = "tcpResponder";

	private @Nullable StartupShutdownHook startupShutdown;

	@Override
	public void onApplicationEvent(SpringApplicationEvent event) {
		if (event instanceof ApplicationPreparedEvent prepared) {
			start(prepared.getApplicationContext());
		}
		else if (event instanceof ApplicationFailedEvent && this.startupShutdown != null) {
			this.startupShutdown.startupFailed();
		}
	}

	private void start(ConfigurableApplicationContext context) {
		if (context.getBeanFactory().containsSingleton(BEAN_NAME)) {
			return;
		}
		ResponderProperties properties = ResponderProperties.bind(context.getEnvironment());
		TcpResponder responder = TcpResponder.of(properties);
		StartupShutdownHook startupShutdown = new StartupShutdownHook(responder, properties.shutdownTimeout());
		if (startupShutdown.register()) {
			try {
				responder.start();
			}
			catch (ResponderBindException ex) {
				if (properties.failFast()) {
					startupShutdown.startupFailed();
					throw ex;
				}
			}
		}
		this.startupShutdown = startupShutdown;
		context.getBeanFactory().registerSingleton(BEAN_NAME, responder);
		context.getBeanFactory().registerSingleton(StartupShutdownHook.BEAN_NAME, startupShutdown);
	}

}
