/**
 * The Linux transport: the same contract through direct system calls with the Foreign Function and Memory API
 * (accept4, epoll, sock_diag netlink), errno kept as the kernel gave it. The only package that touches
 * java.lang.foreign; the rest reaches it through NativeTransport.
 */
@NullMarked
package io.tcpresponder.transport.linux;

import org.jspecify.annotations.NullMarked;

