/**
 * The TCP server: one listener per configured address on one port, the group that binds, restarts and stops them,
 * the restart modes (close-then-bind, handover) and retry-bind. It knows the connections only as the callback it
 * hands each listener.
 */
@NullMarked
package io.tcpresponder.responder.server;

import org.jspecify.annotations.NullMarked;

