package io.tcpresponder.transport.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.tcpresponder.transport.ErrnoException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The kernel's side of a handover: a one-instruction classic BPF program attached to an SO_REUSEPORT group sends
 * every new connection to the group's second listener, the successor, until it is detached.
 */
final class ReuseportHandover {

	private static final int SO_ATTACH_REUSEPORT_CBPF = 51;

	private static final int SO_DETACH_REUSEPORT_BPF = 68;

	/**
	 * {@code struct sock_fprog} of one {@code struct sock_filter}: {@code BPF_RET | BPF_K} 1, the group's second
	 * listener. Where the group has no second listener, the kernel chooses by hash as it does without a program.
	 */
	private static final MemorySegment SECOND_OF_GROUP = Arena.global().allocate(16, 8);

	static {
		MemorySegment returnOne = Arena.global().allocate(8, 8);
		returnOne.set(ValueLayout.JAVA_SHORT, 0, (short) 0x06);
		returnOne.set(JAVA_INT, 4, 1);
		SECOND_OF_GROUP.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
		SECOND_OF_GROUP.set(ADDRESS, 8, returnOne);
	}

	private ReuseportHandover() {
	}

	/**
	 * Sends every new connection of a listener's SO_REUSEPORT group to the group's second listener, the one that
	 * joined second (SO_ATTACH_REUSEPORT_CBPF, for the whole group).
	 * @param fd a listener of the group
	 * @throws ErrnoException if the call fails
	 */
	static void begin(int fd) throws ErrnoException {
		NativeSocket.setOption(fd, NativeSocket.SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, SECOND_OF_GROUP,
				(int) SECOND_OF_GROUP.byteSize());
	}

	/**
	 * Lets the kernel choose among a listener's SO_REUSEPORT group by hash again (SO_DETACH_REUSEPORT_BPF).
	 * @param fd a listener of the group
	 * @throws ErrnoException if the call fails
	 */
	static void end(int fd) throws ErrnoException {
		NativeSocket.setOption(fd, NativeSocket.SOL_SOCKET, SO_DETACH_REUSEPORT_BPF, NativeSocket.ZERO,
				(int) JAVA_INT.byteSize());
	}

}
