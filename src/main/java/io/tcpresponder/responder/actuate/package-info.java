/**
 * The responder's actuator: the endpoint (GET and restart), its JSON descriptor, the restart body's checks and
 * problems, health for Kubernetes probes, and the Micrometer binder of the connection counts.
 */
@NullMarked
package io.tcpresponder.responder.actuate;

import org.jspecify.annotations.NullMarked;

