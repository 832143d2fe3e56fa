/**
 * The lesson page at the management server's root: the listeners, the kernel's verdict and the port's TCP states
 * for a reader in a browser, in English and Simplified Chinese, with a restart form that speaks to the actuator
 * endpoint.
 */
@NullMarked
package io.tcpresponder.page;

import org.jspecify.annotations.NullMarked;

