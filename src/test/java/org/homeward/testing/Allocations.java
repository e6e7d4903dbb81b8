package org.homeward.testing;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates on the heap: memory tests compare ways of doing the same work by this. */
public final class Allocations {

    private Allocations() {
    }

    /** Everything this thread has allocated so far. */
    public static long soFar() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** What {@code work} allocates on this thread. */
    public static long during(Runnable work) {
        long before = soFar();
        work.run();
        return soFar() - before;
    }
}
