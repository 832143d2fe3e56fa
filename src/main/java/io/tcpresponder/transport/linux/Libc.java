package io.tcpresponder.transport.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import io.tcpresponder.transport.ErrnoException;

/**
 * Calls into the C library through the Foreign Function and Memory API: how downcall handles are made, with the
 * errno of each call captured, and the C library's text for an errno.
 *
 * <p>
 * Classes that make native calls keep their handles in {@code static final} fields, so that the JIT inlines them.
 * Loading this class needs native access ({@code --enable-native-access=ALL-UNNAMED}).
 */
final class Libc {

	private static final Linker LINKER = Linker.nativeLinker();

	private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();

	private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

	private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

	/** Where each thread's calls leave their errno: a call and the read of its errno are on the same thread. */
	private static final ThreadLocal<MemorySegment> STATE = ThreadLocal
		.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

	private static final MethodHandle STRERROR = downcall("strerror",
			FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

	private Libc() {
	}

	/**
	 * A handle to a C library function whose first parameter is where the call leaves its errno
	 * ({@link #state()}).
	 * @param name the function
	 * @param function its signature
	 * @return the handle
	 */
	static MethodHandle downcallCapturingErrno(String name, FunctionDescriptor function) {
		return LINKER.downcallHandle(find(name), function, CAPTURE_ERRNO);
	}

	/**
	 * A handle to a C library function, for calls whose errors are not looked at.
	 * @param name the function
	 * @param function its signature
	 * @return the handle
	 */
	static MethodHandle downcall(String name, FunctionDescriptor function) {
		return LINKER.downcallHandle(find(name), function);
	}

	private static MemorySegment find(String name) {
		return LINKER.defaultLookup()
			.find(name)
			.orElseThrow(() -> new UnsatisfiedLinkError("No " + name + " in the C library"));
	}

	/**
	 * Where the calling thread's calls leave their errno.
	 * @return the calling thread's call state
	 */
	static MemorySegment state() {
		return STATE.get();
	}

	/**
	 * The errno left by the calling thread's last call through a capturing handle.
	 * @param state the calling thread's call state
	 * @return the errno
	 */
	static int errno(MemorySegment state) {
		return (int) ERRNO.get(state, 0L);
	}

	/**
	 * The failure of a call, with the C library's text for its errno.
	 * @param call the call
	 * @param errno its errno
	 * @return the exception to throw
	 */
	static ErrnoException error(String call, int errno) {
		return new ErrnoException(call, errno, strerror(errno));
	}

	/**
	 * The C library's text for an errno, as {@code perror} prints it.
	 * @param errno the errno
	 * @return the text
	 */
	static String strerror(int errno) {
		// strerror may share a buffer between threads for unknown numbers; errors are rare enough to take turns.
		synchronized (STRERROR) {
			try {
				MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
				return text.reinterpret(1024).getString(0);
			}
			catch (Throwable ex) {
				throw new IllegalStateException("strerror failed", ex);
			}
		}
	}

}
