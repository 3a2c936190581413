package dev.corobridge.benchmarks;

import dev.corobridge.AsyncMutex;
import dev.corobridge.AsyncSemaphore;
import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import dev.corobridge.benchmarks.peers.NativeKotlinx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B2 and B3: {@value #TASKS} tasks each incrementing a counter {@value #TIMES} times while holding
 * a permit ({@code permits} = 4: a semaphore, B2) or the lock ({@code permits} = 1: a mutex, B3),
 * 1,000,000 protected increments in all (for the mutex, once tasks queue for it, nearly every
 * unlock hands it to a waiter); and uncontended withPermit. Time per protected increment.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PermitBenchmark {
    static final int TASKS = 1_000;
    static final int TIMES = 1_000;
    static final int OPS = TASKS * TIMES;

    @Param({"4", "1"})
    public int permits;

    private ExecutorService virtualThreads;
    private ExecutorService platformThreads;

    @Setup(Level.Trial)
    public void start() {
        virtualThreads = VirtualThreads.perTask();
        platformThreads = Executors.newFixedThreadPool(64);
    }

    @TearDown(Level.Trial)
    public void stop() {
        virtualThreads.shutdown();
        platformThreads.shutdown();
    }

    /** corobridge: AsyncSemaphore.withPermit, or AsyncMutex.withLock when permits = 1. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long corobridgeContended() {
        AtomicLong counter = new AtomicLong();
        AsyncSemaphore semaphore = AsyncSemaphore.of(permits);
        AsyncMutex mutex = AsyncMutex.create();
        Coroutines.taskGroup(scope -> {
            List<Task<Void>> tasks = new ArrayList<>(TASKS);
            for (int t = 0; t < TASKS; t++) {
                tasks.add(scope.async(() -> Sequence.repeat(TIMES, () -> permits == 1
                        ? mutex.withLock(() -> CompletableFuture.completedFuture(counter.incrementAndGet()))
                        : semaphore.withPermit(() -> CompletableFuture.completedFuture(counter.incrementAndGet())))));
            }
            return Coroutines.gather(tasks);
        }).join();
        return counter.get();
    }

    /** Native kotlinx: Semaphore.withPermit, or Mutex.withLock when permits = 1. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long nativeContended() {
        return permits == 1 ? NativeKotlinx.contendedMutex(TASKS, TIMES) : NativeKotlinx.contendedPermits(TASKS, TIMES, permits);
    }

    /** The JDK: a Semaphore (or ReentrantLock) on a virtual thread per task. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long jdkSemaphoreVirtualThreads() throws Exception {
        return jdkContended(virtualThreads);
    }

    /** The JDK: a Semaphore (or ReentrantLock) on 64 platform threads. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long jdkSemaphorePlatformThreads() throws Exception {
        return jdkContended(platformThreads);
    }

    /** A fair j.u.c.Semaphore for B2; for B3 (permits = 1) a ReentrantLock, what Java code would use. */
    private long jdkContended(ExecutorService threads) throws Exception {
        Semaphore semaphore = new Semaphore(permits, true);
        ReentrantLock lock = new ReentrantLock();
        AtomicLong counter = new AtomicLong();
        List<Future<?>> tasks = new ArrayList<>(TASKS);
        for (int t = 0; t < TASKS; t++) {
            tasks.add(threads.submit(() -> {
                for (int i = 0; i < TIMES; i++) {
                    if (permits == 1) {
                        lock.lock();
                    } else {
                        semaphore.acquire();
                    }
                    try {
                        counter.incrementAndGet();
                    } finally {
                        if (permits == 1) {
                            lock.unlock();
                        } else {
                            semaphore.release();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> task : tasks) {
            task.get();
        }
        return counter.get();
    }

    /** corobridge: uncontended withPermit from Java, one after the other. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long corobridgeUncontended() {
        AsyncSemaphore semaphore = AsyncSemaphore.of(1);
        long[] counter = {0};
        Sequence.repeat(OPS, () -> semaphore.withPermit(() -> CompletableFuture.completedFuture(counter[0]++))).join();
        return counter[0];
    }

    /** Native kotlinx: uncontended withPermit in one coroutine. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long nativeUncontended() {
        return NativeKotlinx.uncontendedPermits(OPS);
    }
}
