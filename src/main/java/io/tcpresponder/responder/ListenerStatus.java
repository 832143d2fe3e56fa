package io.tcpresponder.responder;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The TCP listener's state, when it began, and the error of the last failed bind.
 *
 * @param state the state
 * @param since when the state began
 * @param lastError why the last bind failed, or {@code null}
 */
record ListenerStatus(ResponderState state, Instant since, @Nullable KernelError lastError) {
}
