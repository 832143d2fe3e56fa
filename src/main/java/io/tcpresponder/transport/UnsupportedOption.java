package io.tcpresponder.transport;

/**
 * A socket option that a transport cannot set as asked.
 *
 * @param option the option's component of {@link SocketOptions}, such as {@code ipv6Only}
 * @param value the value asked for
 * @param reason why the transport cannot set it
 */
public record UnsupportedOption(String option, Object value, String reason) {
}
