/**
 * The kernel's view of the responder's port: TCP states, accept queues and drops, read from the kernel's socket
 * table (sock_diag first, /proc/net/tcp as a fallback), with the meters that publish it.
 */
@NullMarked
package io.tcpresponder.kernel;

import org.jspecify.annotations.NullMarked;

