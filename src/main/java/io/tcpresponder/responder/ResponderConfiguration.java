package io.tcpresponder.responder;

import java.util.Arrays;

import io.tcpresponder.kernel.KernelTcpMetrics;
import io.tcpresponder.kernel.KernelTcpView;
import io.tcpresponder.page.LessonPage;
import jakarta.validation.Validator;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What manages the TCP responder: lifecycle, actuator endpoint, health, metrics, the kernel's view of its port, and
 * what the lesson page shows of them.
 * The responder itself, its {@link ResponderProperties} and its {@link StartupShutdownHook} are built before the
 * context by {@link EarlyResponderStart}, which registers them as beans. The restart's guard,
 * {@link RestartBodyAdvice}, is a {@code @ControllerAdvice} and found by component scanning.
 */
@Configuration(proxyBeanMethods = false)
class ResponderConfiguration {

	@Bean
	TcpResponderLifecycle tcpResponderLifecycle(TcpResponder responder, ResponderProperties properties,
			StartupShutdownHook startupShutdown) {
		return new TcpResponderLifecycle(responder, properties, startupShutdown);
	}

	@Bean
	KernelTcpView kernelTcpView(ResponderProperties properties, TcpResponder responder) {
		return new KernelTcpView(KernelSocketTable.get(), properties.tcp().refreshInterval(),
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

	@Bean
	ResponderEndpoint responderEndpoint(TcpResponder responder, KernelTcpView kernelTcpView, Validator validator) {
		return new ResponderEndpoint(responder, kernelTcpView, validator);
	}

	@Bean
	LessonPage lessonPage(ResponderProperties properties) {
		return new LessonPage(ResponderEndpoint.ID, properties.tcp().refreshInterval(), RestartRequest.JSON_TYPES,
				Arrays.stream(RestartMode.values()).map(RestartMode::value).toList());
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
