/**
 * The transport contract: the socket calls the responder makes (bind, accept, write, close), the options a listener
 * is bound with, and the kernel's errors with their errno. It stands alone, knowing no layer above it and no
 * framework; the portable implementation on the JDK's NIO lives here too.
 */
@NullMarked
package io.tcpresponder.transport;

import org.jspecify.annotations.NullMarked;

