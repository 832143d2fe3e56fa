package io.tcpresponder.responder;

import java.util.Map;

import io.tcpresponder.kernel.KernelTcpView;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code /actuator/responder}: the TCP listener's state and counts with the kernel's view of its port, and
 * {@code POST /actuator/responder/restart}.
 * Read-only unless {@code management.endpoint.responder.access} allows more.
 */
@WebEndpoint(id = "responder", defaultAccess = Access.READ_ONLY)
class ResponderEndpoint {

	static final String RESTART = "restart";

	static final int STATUS_CONFLICT = 409;

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
	 * Closes the listener and binds a new one, with the changes the body asks for. The parameters are taken as text and
	 * checked here, so that a value of the wrong type is refused with its field's name.
	 * @param action the action, {@code restart}
	 * @param mode {@code close-then-bind} (the default) or {@code handover}
	 * @param reuseAddress the new SO_REUSEADDR option
	 * @param reusePort the new SO_REUSEPORT option
	 * @param port the new port
	 * @param backlog the new listen backlog
	 * @return 200 and the new state; 409 and the state when the bind fails (FAILED, or still LISTENING on the old
	 * listener after a handover) or a handover is not possible; 400 for a bad body
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
		catch (RestartRequest.InvalidFieldException ex) {
			return new WebEndpointResponse<>(Map.of("field", ex.getField(), "message", ex.getMessage()),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		boolean bound;
		if (request.mode() == RestartRequest.Mode.HANDOVER) {
			try {
				bound = this.responder.handOver(request::applyTo);
			}
			catch (IllegalStateException ex) {
				return new WebEndpointResponse<>(Map.of("field", "mode", "message", ex.getMessage()), STATUS_CONFLICT);
			}
		}
		else {
			bound = this.responder.restart(request::applyTo);
		}
		return new WebEndpointResponse<>(responder(), bound ? WebEndpointResponse.STATUS_OK : STATUS_CONFLICT);
	}

}
