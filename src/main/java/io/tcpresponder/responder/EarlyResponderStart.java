package io.tcpresponder.responder;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Starts the TCP responder as soon as the configuration is read, before the application context is even created:
 * the port serves clients while the web server, actuator and security are still being set up. When the context is
 * prepared the responder joins it as the {@code tcpResponder} bean, and {@link TcpResponderLifecycle} stops it on
 * shutdown.
 *
 * <p>
 * Bad configuration fails the startup here, with the same report as any other bound properties; a port that cannot
 * be bound leaves the responder FAILED, or fails the startup with {@code responder.fail-fast}.
 */
class EarlyResponderStart implements SmartApplicationListener {

	static final String BEAN_NAME = "tcpResponder";

	private @Nullable TcpResponder responder;

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
				|| ApplicationPreparedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			ResponderProperties properties = ResponderProperties.bind(prepared.getEnvironment());
			TcpResponder responder = TcpResponder.of(properties);
			try {
				responder.start();
			}
			catch (ResponderBindException ex) {
				if (properties.failFast()) {
					throw ex;
				}
			}
			this.responder = responder;
		}
		else if (event instanceof ApplicationPreparedEvent prepared && this.responder != null) {
			prepared.getApplicationContext().getBeanFactory().registerSingleton(BEAN_NAME, this.responder);
			this.responder = null;
		}
	}

}
