package io.tcpresponder.responder;

import io.tcpresponder.kernel.bind.BindOracle;
import io.tcpresponder.responder.connection.AccessLog;
import io.tcpresponder.responder.connection.ConnectionHandler;
import io.tcpresponder.responder.server.ListenerSettings;
import io.tcpresponder.responder.server.ResponderBindException;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.transport.Transport;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AbstractAotProcessor;

/**
 * Builds and starts the TCP responder as soon as the configuration is complete, before the application context is
 * refreshed: the port serves clients while the web server, actuator and security are still being set up. This is the
 * only place that builds the responder: it joins the context as the {@code tcpResponder} bean, with the
 * {@link ResponderProperties} it was built from, and {@link TcpResponderLifecycle} stops it on shutdown; until the
 * lifecycle takes it over, a {@link StartupShutdownHook} stops it if the JVM is told to shut down, and a failed
 * startup stops it here.
 *
 * <p>
 * It waits for the prepared context rather than the prepared environment, since initializers may still add property
 * sources in between. Bad configuration fails the startup here, with the same report as any other bound properties;
 * a port that cannot be bound leaves the responder FAILED, or fails the startup with {@code responder.fail-fast}.
 * Spring AOT's build-time run ({@code process-aot}) prepares the context only to record its bean definitions: nothing
 * starts then.
 */
class EarlyResponderStart implements ApplicationListener<SpringApplicationEvent> {

	static final String BEAN_NAME = "tcpResponder";

	/** Named as {@code @EnableConfigurationProperties} would name the bean: prefix, dash, class name. */
	static final String PROPERTIES_BEAN_NAME = ResponderProperties.PREFIX + "-" + ResponderProperties.class.getName();

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
		if (context.getBeanFactory().containsSingleton(BEAN_NAME)
				|| Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
			return;
		}
		ResponderProperties.Bound bound = ResponderProperties.bind(context.getEnvironment());
		ResponderProperties properties = bound.properties();
		KernelSocketTable table = KernelSocketTable.choose();
		TcpResponder responder = build(properties, bound.listeners(), table);
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
		context.getBeanFactory().registerSingleton(PROPERTIES_BEAN_NAME, properties);
		context.getBeanFactory().registerSingleton(KernelSocketTable.BEAN_NAME, table);
		context.getBeanFactory().registerSingleton(BEAN_NAME, responder);
		context.getBeanFactory().registerSingleton(StartupShutdownHook.BEAN_NAME, startupShutdown);
	}

	/**
	 * The responder of the configuration, on the transport it chooses.
	 * @throws InvalidConfigurationPropertyValueException if the transport cannot set a socket option as configured,
	 * naming its property
	 */
	private static TcpResponder build(ResponderProperties properties, ListenerSettings listeners,
			KernelSocketTable table) {
		Transport transport = properties.transport().load();
		transport.unsupported(listeners.options()).ifPresent((unsupported) -> {
			throw new InvalidConfigurationPropertyValueException(
					ResponderProperties.PREFIX + "." + DataObjectPropertyName.toDashedForm(unsupported.option()),
					unsupported.value(), "the " + transport.name() + " transport (responder.transport: "
							+ properties.transport().value() + ") cannot set it: " + unsupported.reason());
		});
		ConnectionHandler connections = new ConnectionHandler(transport, properties.message(), properties.closeMode(),
				properties.writeTimeout(), properties.clientCloseTimeout(), listeners.limits(),
				properties.accessLog().enabled() ? new AccessLog(true) : AccessLog.OFF, listeners.proxyProtocol());
		return new TcpResponder(transport, listeners, connections, new BindOracle(table.get(), KernelClocks.choose()),
				properties.retryBind());
	}

}
