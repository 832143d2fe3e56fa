package io.tcpresponder.responder.actuate;

import java.util.Arrays;

import io.tcpresponder.kernel.KernelTcpView;
import io.tcpresponder.page.LessonPage;
import io.tcpresponder.responder.server.RestartMode;
import io.tcpresponder.responder.server.TcpResponder;
import jakarta.validation.Validator;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The responder's actuator: its endpoint, health, metrics, and what the lesson page shows of them. The restart's
 * guards, {@link RestartBodyAdvice} and {@link RetryAfterAdvice}, are {@code @ControllerAdvice}s found by component
 * scanning.
 */
@Configuration(proxyBeanMethods = false)
public class ResponderActuatorConfiguration {

	@Bean
	ResponderEndpoint responderEndpoint(TcpResponder responder, KernelTcpView kernelTcpView, Validator validator) {
		return new ResponderEndpoint(responder, kernelTcpView, validator);
	}

	@Bean
	LessonPage lessonPage(KernelTcpView kernelTcpView) {
		return new LessonPage(ResponderEndpoint.ID, kernelTcpView.refreshInterval(), RestartRequest.formTypes(),
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
