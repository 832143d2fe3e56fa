/**
 * Security of the management server: open reads where configured, operator credentials for writes, a limit on
 * failed logins per client, and problems in RFC 9457 form.
 */
@NullMarked
package io.tcpresponder.security;

import org.jspecify.annotations.NullMarked;

