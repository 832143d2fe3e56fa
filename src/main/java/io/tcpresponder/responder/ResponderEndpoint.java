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
	 * Closes the listeners and binds new ones, with the changes the body asks for. The body reaches this method as
	 * Actuator binds it, as text; {@link RestartBodyAdvice} has already refused query parameters and every body whose
	 * shape or JSON types are wrong, and the values are checked here.
	 * @param action the action, {@code restart}
	 * @param mode the name of a {@link RestartMode}: {@code close-then-bind} (the default) or {@code handover}
	 * @param reuseAddress the new SO_REUSEADDR option
	 * @param reusePort the new SO_REUSEPORT option
	 * @param port the new port
	 * @param backlog the new listen backlog
	 * @param bindAddresses the new local addresses: the JSON text of an array of IP literals, {@code []} for every
	 * address, as {@link RestartBody} hands it over
	 * @return 200 and the new state; otherwise a {@link RestartProblem}: 400 for a bad value; 409 when a handover is
	 * not possible, or when the bind fails, with the state (FAILED, or still LISTENING on the old listener after a
	 * handover) as its {@code responder} member
	 */
	@WriteOperation
	WebEndpointResponse<Object> restart(@Selector String action, @Nullable String mode, @Nullable String reuseAddress,
			@Nullable String reusePort, @Nullable String port, @Nullable String backlog,
			@Nullable String bindAddresses) {
		if (!RESTART.equals(action)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		RestartRequest request;
		try {
			request = RestartRequest.of(mode, reuseAddress, reusePort, port, backlog, bindAddresses);
		}
		catch (RestartRequest.RefusedException ex) {
			return RestartProblem.response(ex.getBody());
		}
		RestartResult result = this.responder.restart(request.mode(), request::applyTo);
		return switch (result) {
			case RestartResult.Bound bound -> new WebEndpointResponse<>(responder(), WebEndpointResponse.STATUS_OK);
			case RestartResult.Refused refused ->
				RestartProblem.response(RestartProblem.of(HttpStatus.CONFLICT, "mode", refused.detail()));
			case RestartResult.BindFailed failed -> RestartProblem.response(bindFailed(responder(), failed));
		};
	}

	private static ProblemDetail bindFailed(ResponderDescriptor state, RestartResult.BindFailed result) {
		KernelError error = result.error();
		ProblemDetail failed = RestartProblem.of(HttpStatus.CONFLICT, null, "The new listener on " + result.address()
				+ " did not bind port " + state.port() + ": " + error.message() + " (" + error.code() + ")");
		failed.setProperty("responder", state);
		return failed;
	}

}
