/**
 * The tcp-responder service: a TCP responder that writes one line and closes first, with an HTTP actuator around
 * it. The application class alone lives here; each feature has a package of its own below.
 */
@NullMarked
package io.tcpresponder;

import org.jspecify.annotations.NullMarked;

