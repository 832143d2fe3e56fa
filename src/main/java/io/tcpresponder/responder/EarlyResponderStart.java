package io.tcpresponder.responder;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the TCP responder as soon as the configuration is complete, before the application context is refreshed:
 * the port serves clients while the web server, actuator and security are still being set up. The responder then
 * joins the context as the {@code tcpResponder} bean, and {@link TcpResponderLifecycle} stops it on shutdown.
 *
 * <p>
 * It waits for the prepared context rather than the prepared environment, since initializers may still add property
 * sources in between. Bad configuration fails the startup here, with the same report as any other bound properties;
 * a port that cannot be bound leaves the responder FAILED, or fails the startup with {@code responder.fail-fast}.
 */
class EarlyResponderStart implements ApplicationListener<ApplicationPreparedEvent> {

	static final String BEAN_NAME = "tcpResponder";

	@Override
	public void onApplicationEvent(ApplicationPreparedEvent event) {
		ConfigurableApplicationContext context = event.getApplicationContext();
		if (context.getBeanFactory().containsSingleton(BEAN_NAME)) {
			return;
		}
		ResponderProperties properties = ResponderProperties.bind(context.getEnvironment());
		TcpResponder responder = TcpResponder.of(properties);
		try {
			responder.start();
		}
		catch (ResponderBindException ex) {
			if (properties.failFast()) {
				throw ex;
			}
		}
		context.getBeanFactory().registerSingleton(BEAN_NAME, responder);
	}

}
