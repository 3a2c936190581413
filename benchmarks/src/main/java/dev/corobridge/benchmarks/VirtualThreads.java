package dev.corobridge.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The virtual-thread peers: found at run time, so the benchmarks still compile for Java 17. */
final class VirtualThreads {
    private VirtualThreads() {}

    /** A new executor that starts a virtual thread per task; fails on a JDK without them. */
    static ExecutorService perTask() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21+; run the benchmarks on JDK 25", e);
        }
    }
}
