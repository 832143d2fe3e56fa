package io.tcpresponder.responder.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A restart refused before anything changed, as a 400 problem that names the field or query parameter at fault, or
 * none where the body as a whole is.
 */
class RestartRefusedException extends ErrorResponseException {

	RestartRefusedException(@Nullable String field, String detail) {
		super(HttpStatus.BAD_REQUEST, RestartProblem.of(HttpStatus.BAD_REQUEST, field, detail), null);
	}

}
