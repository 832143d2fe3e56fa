package io.tcpresponder.responder;

import io.tcpresponder.kernel.KernelTcpMetrics;
import io.tcpresponder.kernel.KernelTcpView;
import io.tcpresponder.responder.actuate.ResponderActuatorConfiguration;
import io.tcpresponder.responder.server.ListenerStatus;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.transport.Addresses;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * What manages the TCP responder: its lifecycle and the kernel's view of its port, with the actuator's side
 * ({@link ResponderActuatorConfiguration}) imported.
 * The responder itself, its {@link ResponderProperties}, the {@link KernelSocketTable} and the
 * {@link StartupShutdownHook} are built before the context by {@link EarlyResponderStart}, which registers them as
 * beans.
 */
@Configuration(proxyBeanMethods = false)
@Import(ResponderActuatorConfiguration.class)
class ResponderConfiguration {

	@Bean
	TcpResponderLifecycle tcpResponderLifecycle(TcpResponder responder, ResponderProperties properties,
			StartupShutdownHook startupShutdown) {
		return new TcpResponderLifecycle(responder, properties, startupShutdown);
	}

	@Bean
	KernelTcpView kernelTcpView(ResponderProperties properties, TcpResponder responder, KernelSocketTable table) {
		return new KernelTcpView(table.get(), properties.tcp().refreshInterval(),
				() -> responder.settings().options().backlog());
	}

	/**
	 * Makes the first reading when the service is ready, and the next ones ahead, so that the first scrape finds one
	 * ready too.
	 */
	@Bean
	ApplicationListener<ApplicationReadyEvent> kernelTcpViewFirstReading(KernelTcpView view, TcpResponder responder) {
		return (event) -> view.read(responder.settings().port());
	}

	@Bean
	KernelTcpMetrics kernelTcpMetrics(KernelTcpView view, TcpResponder responder) {
		return new KernelTcpMetrics(view, () -> responder.settings().port(),
				() -> responder.listenerStatuses().stream().map(ListenerStatus::address).toList(), Addresses::text,
				responder::onAddressesChanged);
	}

}
