package io.tcpresponder.responder.actuate;

import java.time.Instant;

import java.util.Objects;

import io.tcpresponder.kernel.KernelTcpView;
import io.tcpresponder.responder.server.ListenerSettings;
import io.tcpresponder.responder.server.RestartResult;
import io.tcpresponder.responder.server.TcpResponder;
import io.tcpresponder.transport.KernelError;
import jakarta.validation.Validator;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * {@code /actuator/responder}: the TCP listener's state and counts with the kernel's view of its port, and
 * {@code POST /actuator/responder/restart}.
 * Read-only unless {@code management.endpoint.responder.access} allows more.
 */
@WebEndpoint(id = ResponderEndpoint.ID, defaultAccess = Access.READ_ONLY)
class ResponderEndpoint {

	static final String RESTART = "restart";

	static final String ID = "responder";

	private final TcpResponder responder;

	private final KernelTcpView kernel;

	private final Validator validator;

	ResponderEndpoint(TcpResponder responder, KernelTcpView kernel, Validator validator) {
		this.responder = responder;
		this.kernel = kernel;
		this.validator = validator;
	}

	@ReadOperation
	ResponderDescriptor responder() {
		return ResponderDescriptor.of(this.responder, this.kernel.read(this.responder.settings().port()));
	}

	/**
	 * Replaces the listeners as the body's {@code mode} says, with the changes the body asks for. The body reaches
	 * this method whole, as one field ({@link RestartBodyAdvice}, which has already refused query parameters and a
	 * body too long), and is read here by {@link RestartBody} and {@link RestartRequest}.
	 * @param action the action, {@code restart}
	 * @param body the body as sent, empty for none: a JSON object of the fields of {@link RestartRequest#jsonTypes()}
	 * @return 200 and the new state; otherwise a {@link RestartProblem}: 400 for a bad value; 409 when a handover is
	 * not possible, or when the bind fails, with the state (FAILED, or still LISTENING on the old listener after a
	 * handover) as its {@code responder} member
	 */
	@WriteOperation
	WebEndpointResponse<Object> restart(@Selector String action, String body) {
		if (!RESTART.equals(action)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		RestartRequest request;
		try {
			request = RestartRequest.of(RestartBody.parse(body));
			unsupported(request.checked(this.validator, this.responder.settings()));
		}
		catch (RestartRefusedException ex) {
			return RestartProblem.response(ex.getBody());
		}
		if (request.dryRun()) {
			return new WebEndpointResponse<>(
					RestartCheckDescriptor.of(this.responder.check(request.mode(), request::applyTo), Instant.now()),
					WebEndpointResponse.STATUS_OK);
		}
		RestartResult result = this.responder.restart(request.mode(), request::applyTo);
		return switch (result) {
			case RestartResult.Bound bound -> new WebEndpointResponse<>(responder(), WebEndpointResponse.STATUS_OK);
			case RestartResult.Refused refused ->
				RestartProblem.response(RestartProblem.of(HttpStatus.CONFLICT, "mode", refused.detail()));
			case RestartResult.BindFailed failed -> RestartProblem.response(bindFailed(responder(), failed));
		};
	}

	/**
	 * Refuses settings with a socket option that the transport cannot set.
	 */
	private void unsupported(ListenerSettings settings) {
		this.responder.transport().unsupported(settings.options()).ifPresent((unsupported) -> {
			throw new RestartRefusedException(unsupported.option(), unsupported.option() + " cannot be "
					+ unsupported.value() + " on the " + this.responder.transport().name() + " transport: "
					+ unsupported.reason());
		});
	}

	/**
	 * The 409 of a failed bind: the kernel's error, and for EADDRINUSE what held the address, in the detail and as
	 * members of the first listener that has them, as {@code lastError} is; {@link RetryAfterAdvice} turns its
	 * {@code freeAt} into a {@code Retry-After} header.
	 */
	private static ProblemDetail bindFailed(ResponderDescriptor state, RestartResult.BindFailed result) {
		KernelError error = result.error();
		ProblemDetail failed = RestartProblem.of(HttpStatus.CONFLICT, null,
				"The new listener on " + result.address() + " did not bind port " + state.port() + ": "
						+ error.message() + " (" + error.code() + ")"
						+ ((result.verdict() != null) ? ", " + result.verdict().describe() : ""));
		state.listeners()
			.stream()
			.map(ResponderDescriptor.ListenerDescriptor::verdict)
			.filter(Objects::nonNull)
			.findFirst()
			.ifPresent((verdict) -> {
				failed.setProperty("blockers", verdict.blockers());
				failed.setProperty(RetryAfterAdvice.FREE_AT, verdict.freeAt());
				failed.setProperty("freeInSeconds", verdict.freeInSeconds());
				failed.setProperty("reuseAddressWouldHelp", verdict.reuseAddressWouldHelp());
			});
		failed.setProperty("responder", state);
		return failed;
	}

}
