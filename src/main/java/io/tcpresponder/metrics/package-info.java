/**
 * Metrics wiring: the Prometheus registry whose scrape reads each source once, and the descriptions every meter
 * shares.
 */
@NullMarked
package io.tcpresponder.metrics;

import org.jspecify.annotations.NullMarked;

