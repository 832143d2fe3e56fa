package io.tcpresponder.responder;

import io.tcpresponder.kernel.KernelTcpMetrics;
import io.tcpresponder.kernel.KernelTcpView;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The TCP responder and what manages it: lifecycle, actuator endpoint, health, metrics, and the kernel's view of its
 * port. The restart's guard, {@link RestartBodyAdvice}, is a {@code @ControllerAdvice} and found by component scanning.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResponderProperties.class)
class ResponderConfiguration {

	/**
	 * The responder, where {@link EarlyResponderStart} has not started it before the context.
	 */
	@Bean(EarlyResponderStart.BEAN_NAME)
	@ConditionalOnMissingBean
	TcpResponder tcpResponder(ResponderProperties properties) {
		return TcpResponder.of(properties);
	}

	@Bean
	TcpResponderLifecycle tcpResponderLifecycle(TcpResponder responder, ResponderProperties properties,
			ObjectProvider<StartupShutdownHook> startupShutdown) {
		return new TcpResponderLifecycle(responder, properties, startupShutdown.getIfAvailable());
	}

	@Bean
	KernelTcpView kernelTcpView(ResponderProperties properties, TcpResponder responder) {
		return new KernelTcpView(properties.tcp().refreshInterval(), () -> responder.settings().backlog());
	}

	@Bean
	KernelTcpMetrics kernelTcpMetrics(KernelTcpView view, TcpResponder responder) {
		return new KernelTcpMetrics(view, () -> responder.settings().port());
	}

	@Bean
	ResponderEndpoint responderEndpoint(TcpResponder responder, KernelTcpView kernelTcpView) {
		return new ResponderEndpoint(responder, kernelTcpView);
	}

	@Bean
	ResponderHealthIndicator responderHealthIndicator(TcpResponder responder) {
		return new ResponderHealthIndicator(responder);
	}

	@Bean
	ResponderMetrics responderMetrics(TcpResponder responder) {
		return new ResponderMetrics(responder);
	}

}
