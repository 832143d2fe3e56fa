package io.tcpresponder.transport.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.stream.IntStream;

import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.ErrnoException;

/**
 * Calls into the C library through the Foreign Function and Memory API: how downcall handles are made, with the
 * errno of each call captured and checked, and the C library's text for an errno.
 *
 * <p>
 * A {@linkplain #checkedDowncall checked} handle does what every failing call needs, once for all of them: it
 * returns the call's result, or throws an {@link ErrnoException} with the call's name, its errno and the C
 * library's text. Classes that make native calls keep their handles in {@code static final} fields, so that the JIT
 * inlines them, check and all, and invoke them with {@link MethodHandle#invokeExact}, whose exact types are why each
 * call keeps a line of its own. Loading this class needs native access ({@code --enable-native-access=ALL-UNNAMED}).
 */
final class Libc {

	private static final Linker LINKER = Linker.nativeLinker();

	private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();

	private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

	private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

	/** Where each thread's calls leave their errno: a call and the read of its errno are on the same thread. */
	private static final ThreadLocal<MemorySegment> STATE = ThreadLocal
		.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

	/** The highest errno Linux defines (EHWPOISON). */
	private static final int LAST_ERRNO = 133;

	/**
	 * The C library's texts, read once: strerror may share a buffer between threads, and a table makes an error's
	 * text a lookup rather than a downcall under a lock.
	 */
	private static final String[] TEXTS = texts();

	private static final MethodHandle CHECK_INT = check("checkInt", int.class);

	private static final MethodHandle CHECK_LONG = check("checkLong", long.class);

	private Libc() {
	}

	/**
	 * A handle to a C library function that checks its result: {@code (MemorySegment state, arguments...)}, where
	 * {@code state} is the calling thread's {@link #state()}, returns the function's {@code int} or {@code long}
	 * result, or throws an {@link ErrnoException} when the function returns -1.
	 * @param name the function, also the call an error names
	 * @param function its signature
	 * @param notNow errnos that mean "nothing to do now" rather than a failure (EAGAIN, EINTR): the handle then
	 * returns -1 instead of throwing
	 * @return the handle
	 */
	static MethodHandle checkedDowncall(String name, FunctionDescriptor function, Errno... notNow) {
		MethodHandle call = LINKER.downcallHandle(find(name), function, CAPTURE_ERRNO);
		long tolerated = 0;
		for (Errno errno : notNow) {
			tolerated |= 1L << errno.number();
		}
		MethodHandle check = (call.type().returnType() == long.class) ? CHECK_LONG : CHECK_INT;
		check = MethodHandles.insertArguments(check, 0, name, tolerated);
		// (state, arguments..., state): the call's result and the state it left go to the check...
		MethodHandle checked = MethodHandles.collectArguments(check, 0, call);
		// ...and the caller passes the state once.
		int[] order = IntStream.rangeClosed(0, call.type().parameterCount()).toArray();
		order[order.length - 1] = 0;
		return MethodHandles.permuteArguments(checked, call.type(), order);
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

	/**
	 * Where the calling thread's calls leave their errno.
	 * @return the calling thread's call state
	 */
	static MemorySegment state() {
		return STATE.get();
	}

	/**
	 * What a failed invocation of a handle throws: an {@link ErrnoException} from a checked handle as it is, anything
	 * else (which means the runtime failed, not the call) unchecked.
	 * @param ex what the invocation threw
	 * @return the exception to throw
	 */
	static ErrnoException failure(Throwable ex) {
		if (ex instanceof ErrnoException errnoException) {
			return errnoException;
		}
		throw unexpected(ex);
	}

	/**
	 * What a failed invocation of a handle that reports no errno throws: the runtime failed, not the call.
	 * @param ex what the invocation threw
	 * @return the exception to throw
	 */
	static RuntimeException unexpected(Throwable ex) {
		if (ex instanceof Error error) {
			throw error;
		}
		return new IllegalStateException("A native call failed in the Java runtime", ex);
	}

	/**
	 * The C library's text for an errno, as {@code perror} prints it.
	 * @param errno the errno
	 * @return the text
	 */
	static String strerror(int errno) {
		return (errno >= 0 && errno < TEXTS.length) ? TEXTS[errno] : "Unknown error " + errno;
	}

	private static int checkInt(String call, long notNow, int result, MemorySegment state) throws ErrnoException {
		return (result < 0) ? (int) failed(call, notNow, state) : result;
	}

	private static long checkLong(String call, long notNow, long result, MemorySegment state) throws ErrnoException {
		return (result < 0) ? failed(call, notNow, state) : result;
	}

	private static long failed(String call, long notNow, MemorySegment state) throws ErrnoException {
		int errno = (int) ERRNO.get(state, 0L);
		if (errno < Long.SIZE && (notNow & (1L << errno)) != 0) {
			return -1;
		}
		throw new ErrnoException(call, errno, strerror(errno));
	}

	private static MethodHandle check(String name, Class<?> result) {
		try {
			return MethodHandles.lookup()
				.findStatic(Libc.class, name,
						MethodType.methodType(result, String.class, long.class, result, MemorySegment.class));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String[] texts() {
		MethodHandle strerror = downcall("strerror", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
		String[] texts = new String[LAST_ERRNO + 1];
		for (int errno = 0; errno < texts.length; errno++) {
			try {
				texts[errno] = ((MemorySegment) strerror.invokeExact(errno)).reinterpret(1024).getString(0);
			}
			catch (Throwable ex) {
				throw new IllegalStateException("strerror failed", ex);
			}
		}
		return texts;
	}

	private static MemorySegment find(String name) {
		return LINKER.defaultLookup()
			.find(name)
			.orElseThrow(() -> new UnsatisfiedLinkError("No " + name + " in the C library"));
	}

}
