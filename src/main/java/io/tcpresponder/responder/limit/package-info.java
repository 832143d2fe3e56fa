/**
 * Connection limits: how many connections the responder holds at once, in all and per client (an address, or a
 * network by prefix), the admission that applies them on the accept thread, and the refusals it counts.
 */
@NullMarked
package io.tcpresponder.responder.limit;

import org.jspecify.annotations.NullMarked;

