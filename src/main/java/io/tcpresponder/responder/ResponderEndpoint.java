package io.tcpresponder.responder;

import io.tcpresponder.kernel.KernelTcpView;
import org.jspecify.annotations.Nullable;

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

	ResponderEndpoint(TcpResponder responder, KernelTcpView kernel) {
		this.responder = responder;
		this.kernel = kernel;
	}

	@ReadOperation
	ResponderDescriptor responder() {
		return ResponderDescriptor.of(this.responder, this.kernel.read(this.responder.settings().port()));
	}

	/**
	 * Closes the listener and binds a new one, with the changes the body asks for. The body reaches this method as
	 * Actuator binds it, as text; {@link RestartBodyAdvice} has already refused query parameters and every body whose
	 * shape or JSON types are wrong, and the values are checked here.
	 * @param action the action, {@code restart}
	 * @param mode {@code close-then-bind} (the default) or {@code handover}
	 * @param reuseAddress the new SO_REUSEADDR option
	 * @param reusePort the new SO_REUSEPORT option
	 * @param port the new port
	 * @param backlog the new listen backlog
	 * @return 200 and the new state; otherwise a {@link RestartProblem}: 400 for a bad value; 409 when a handover is
	 * not possible, or when the bind fails, with the state (FAILED, or still LISTENING on the old listener after a
	 * handover) as its {@code responder} member
	 */
	@WriteOperation
	WebEndpointResponse<Object> restart(@Selector String action, @Nullable String mode, @Nullable String reuseAddress,
			@Nullable String reusePort, @Nullable String port, @Nullable String backlog) {
		if (!RESTART.equals(action)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		RestartRequest request;
		try {
			request = RestartRequest.of(mode, reuseAddress, reusePort, port, backlog);
		}
		catch (RestartRequest.RefusedException ex) {
			return RestartProblem.response(ex.getBody());
		}
		boolean bound;
		if (request.mode() == RestartRequest.Mode.HANDOVER) {
			try {
				bound = this.responder.handOver(request::applyTo);
			}
			catch (IllegalStateException ex) {
				return RestartProblem.response(RestartProblem.of(HttpStatus.CONFLICT, "mode", ex.getMessage()));
			}
		}
		else {
			bound = this.responder.restart(request::applyTo);
		}
		ResponderDescriptor state = responder();
		if (bound) {
			return new WebEndpointResponse<>(state, WebEndpointResponse.STATUS_OK);
		}
		KernelError error = state.lastError();
		ProblemDetail failed = RestartProblem.of(HttpStatus.CONFLICT, null, "The new listener did not bind port "
				+ state.port() + ((error != null) ? ": " + error.message() + " (" + error.code() + ")" : ""));
		failed.setProperty("responder", state);
		return RestartProblem.response(failed);
	}

}
