/**
 * The PROXY protocol (HAProxy's specification, versions 1 and 2), for a responder behind a load balancer: which peers
 * must start with a header, the header read as it arrives and parsed, and the outcomes counted. A connection whose
 * header names a client is served and counted as that client's.
 */
@NullMarked
package io.tcpresponder.responder.proxy;

import org.jspecify.annotations.NullMarked;
