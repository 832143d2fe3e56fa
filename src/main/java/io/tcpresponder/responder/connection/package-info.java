/**
 * One connection from accept to close: the handler each listener calls, the exchange that writes the line and ends
 * the connection, the pending connections that wait on a slow client, the close behaviours, the counts and the
 * access log.
 */
@NullMarked
package io.tcpresponder.responder.connection;

import org.jspecify.annotations.NullMarked;

