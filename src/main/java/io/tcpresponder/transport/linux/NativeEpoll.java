package io.tcpresponder.transport.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.function.Consumer;

import io.tcpresponder.transport.Errno;
import io.tcpresponder.transport.ErrnoException;
import org.jspecify.annotations.Nullable;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An epoll instance with an eventfd to wake it: waits, on one thread, for descriptors to become readable or
 * writable. Level-triggered; a descriptor leaves it when it is closed.
 */
final class NativeEpoll implements AutoCloseable {

	static final int EPOLLIN = 0x001;

	static final int EPOLLOUT = 0x004;

	static final int EPOLLRDHUP = 0x2000;

	private static final int EPOLL_CLOEXEC = 0x80000;

	private static final int EPOLL_CTL_ADD = 1;

	private static final int EPOLL_CTL_MOD = 3;

	private static final int EFD_CLOEXEC = 0x80000;

	private static final int EFD_NONBLOCK = 0x800;

	/** struct epoll_event is packed on x86-64 (12 bytes, data at 4); elsewhere it is aligned (16 bytes, data at 8). */
	private static final boolean PACKED = "amd64".equals(System.getProperty("os.arch"));

	private static final int EVENT_SIZE = PACKED ? 12 : 16;

	private static final int DATA_OFFSET = PACKED ? 4 : 8;

	private static final int MAX_EVENTS = 256;

	/** An epoll_event for {@link #add} on each thread that calls it: the accept threads. */
	private static final ThreadLocal<MemorySegment> CHANGES = ThreadLocal
		.withInitial(() -> Arena.ofAuto().allocate(EVENT_SIZE));

	private static final MethodHandle EPOLL_CREATE1 = Libc.checkedDowncall("epoll_create1",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT));

	private static final MethodHandle EPOLL_CTL = Libc.checkedDowncall("epoll_ctl",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));

	private static final MethodHandle EPOLL_WAIT = Libc.checkedDowncall("epoll_wait",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Errno.EINTR);

	private static final MethodHandle EVENTFD = Libc.checkedDowncall("eventfd",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

	/** read and write on the eventfd: non-blocking, and either outcome is fine (EAGAIN: already woken). */
	private static final MethodHandle READ = Libc.downcall("read",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

	private static final MethodHandle WRITE = Libc.downcall("write",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

	private final Arena arena = Arena.ofShared();

	private final MemorySegment events = this.arena.allocate((long) EVENT_SIZE * MAX_EVENTS);

	private final MemorySegment change = this.arena.allocate(EVENT_SIZE);

	private final MemorySegment counter = this.arena.allocate(JAVA_LONG);

	private final MemorySegment wakeCounter = this.arena.allocate(JAVA_LONG);

	private final int epfd;

	private final int eventfd;

	private @Nullable Object[] attachments = new Object[1024];

	private boolean[] watched = new boolean[1024];

	NativeEpoll() throws ErrnoException {
		this.wakeCounter.set(JAVA_LONG, 0, 1);
		try {
			this.epfd = (int) EPOLL_CREATE1.invokeExact(Libc.state(), EPOLL_CLOEXEC);
		}
		catch (Throwable ex) {
			this.arena.close();
			throw Libc.failure(ex);
		}
		try {
			this.eventfd = (int) EVENTFD.invokeExact(Libc.state(), 0, EFD_CLOEXEC | EFD_NONBLOCK);
		}
		catch (Throwable ex) {
			NativeSocket.close(this.epfd);
			this.arena.close();
			throw Libc.failure(ex);
		}
		try {
			control(EPOLL_CTL_ADD, this.eventfd, EPOLLIN);
		}
		catch (ErrnoException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Starts or changes the watch on a descriptor.
	 * @param fd the descriptor
	 * @param events what to wait for: {@link #EPOLLIN}, {@link #EPOLLOUT}, {@link #EPOLLRDHUP}
	 * @param attachment what {@link #await} reports for it
	 * @throws ErrnoException if the call fails
	 */
	void watch(int fd, int events, Object attachment) throws ErrnoException {
		grow(fd);
		control(this.watched[fd] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, events);
		this.watched[fd] = true;
		this.attachments[fd] = attachment;
	}

	/**
	 * Adds a descriptor to the epoll set from any thread, without waking the waiting one (epoll_ctl may be called
	 * while another thread is in epoll_wait, and that call reports the descriptor once it is ready). Its readiness is
	 * reported once it is {@link #adopt adopted}; level-triggered, it is not lost meanwhile.
	 * @param fd the descriptor
	 * @param events what to wait for
	 * @throws ErrnoException if the call fails
	 */
	void add(int fd, int events) throws ErrnoException {
		MemorySegment change = CHANGES.get();
		change.set(JAVA_INT_UNALIGNED, 0, events);
		change.set(JAVA_INT_UNALIGNED, DATA_OFFSET, fd);
		try {
			int result = (int) EPOLL_CTL.invokeExact(Libc.state(), this.epfd, EPOLL_CTL_ADD, fd, change);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	/**
	 * On the waiting thread, takes over a descriptor that {@link #add} put in the set.
	 * @param fd the descriptor
	 * @param attachment what {@link #await} reports for it
	 */
	void adopt(int fd, Object attachment) {
		grow(fd);
		this.watched[fd] = true;
		this.attachments[fd] = attachment;
	}

	/**
	 * Stops reporting a descriptor that is about to be closed (closing it removes it from the epoll set).
	 * @param fd the descriptor
	 */
	void forget(int fd) {
		if (fd < this.watched.length) {
			this.watched[fd] = false;
			this.attachments[fd] = null;
		}
	}

	private void grow(int fd) {
		if (fd >= this.attachments.length) {
			int length = Math.max(fd + 1, this.attachments.length * 2);
			this.attachments = Arrays.copyOf(this.attachments, length);
			this.watched = Arrays.copyOf(this.watched, length);
		}
	}

	private void control(int operation, int fd, int events) throws ErrnoException {
		this.change.set(JAVA_INT_UNALIGNED, 0, events);
		this.change.set(JAVA_INT_UNALIGNED, DATA_OFFSET, fd);
		try {
			int result = (int) EPOLL_CTL.invokeExact(Libc.state(), this.epfd, operation, fd, this.change);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
	}

	/**
	 * Waits until a watched descriptor is ready, the time is up, or {@link #wakeup()} is called.
	 * @param timeoutMillis how long to wait at most
	 * @param ready told the attachment of each descriptor that is ready
	 * @throws ErrnoException if the call fails
	 */
	void await(int timeoutMillis, Consumer<Object> ready) throws ErrnoException {
		int count;
		try {
			count = (int) EPOLL_WAIT.invokeExact(Libc.state(), this.epfd, this.events, MAX_EVENTS, timeoutMillis);
		}
		catch (Throwable ex) {
			throw Libc.failure(ex);
		}
		// -1: EINTR, a signal; the caller waits again.
		for (int i = 0; i < count; i++) {
			int fd = this.events.get(JAVA_INT_UNALIGNED, (long) i * EVENT_SIZE + DATA_OFFSET);
			if (fd == this.eventfd) {
				readCounter();
			}
			else if (this.attachments[fd] != null) {
				ready.accept(this.attachments[fd]);
			}
		}
	}

	private void readCounter() {
		try {
			long result = (long) READ.invokeExact(this.eventfd, this.counter, JAVA_LONG.byteSize());
		}
		catch (Throwable ex) {
			throw Libc.unexpected(ex);
		}
	}

	/**
	 * Makes {@link #await} return at once. Any thread may call it.
	 */
	void wakeup() {
		try {
			long result = (long) WRITE.invokeExact(this.eventfd, this.wakeCounter, JAVA_LONG.byteSize());
		}
		catch (Throwable ex) {
			throw Libc.unexpected(ex);
		}
	}

	@Override
	public void close() {
		NativeSocket.close(this.eventfd);
		NativeSocket.close(this.epfd);
		this.arena.close();
	}

}
