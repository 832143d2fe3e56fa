/**
 * The TCP responder feature's wiring and lifecycle: its validated properties, the early start that binds the port
 * before the web server, the SmartLifecycle adapter, the choice of transport and socket table, and the failure
 * analysis of a refused bind. The rooms below hold the server, one connection, the limits and the actuator.
 */
@NullMarked
package io.tcpresponder.responder;

import org.jspecify.annotations.NullMarked;

