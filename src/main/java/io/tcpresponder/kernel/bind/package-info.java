/**
 * The bind oracle: why the kernel refused a bind with EADDRINUSE and until when. It finds the sockets that block an
 * address by the kernel's own bind rules, their owners, and when the timer wheel removes them (freeAt), and tells
 * whether SO_REUSEADDR would help from what this process remembers of its past listeners.
 */
@NullMarked
package io.tcpresponder.kernel.bind;

import org.jspecify.annotations.NullMarked;

