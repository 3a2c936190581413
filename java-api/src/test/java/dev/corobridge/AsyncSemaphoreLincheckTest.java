package dev.corobridge;

import dev.corobridge.testing.InlineLoop;
import dev.corobridge.testing.LinearizabilityTest;
import dev.corobridge.testing.NoLeaks;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks that {@link AsyncSemaphore} is linearizable: every concurrent history of acquires (taken
 * at once or given up by cancelling), tries and releases by holders matches some sequential order
 * of the same calls. Releasing beyond the permits is left out: kotlinx counts such a release
 * before undoing it, which {@link AsyncSemaphore#availablePermits()} hides and
 * {@link AsyncSemaphoreTest} covers. {@code withPermit} is not an operation here: it holds its permit while the body
 * runs, so it is not atomic by design (the stress test in {@link AsyncSemaphoreTest} covers it).
 *
 * <p>The stress run is part of every build. The model-checking run explores interleavings one by
 * one through kotlinx's internals and takes about a minute on a small machine, so it runs only
 * with {@code -Dcorobridge.lincheck.modelChecking=true}. Waits resume on an unconfined loop
 * ({@link InlineLoop}), so that every step runs on the scenario's own threads.
 */
@ExtendWith(NoLeaks.class)
public class AsyncSemaphoreLincheckTest extends LinearizabilityTest {
    private final AsyncSemaphore semaphore = AsyncSemaphore.of(2);

    /** Permits held by each scenario thread: only a holder releases, as the contract requires. */
    private final int[] held = new int[8];

    /** Acquires, or gives up the wait at once by cancelling it; returns whether it holds a permit. */
    @Operation
    public boolean acquireOrCancel(@Param(gen = ThreadIdGen.class) int thread) {
        return InlineLoop.run(() -> {
            CompletableFuture<Void> acquired = semaphore.acquire();
            return count(thread, acquired.isDone() || !acquired.cancel(false));
        });
    }

    @Operation
    public boolean tryAcquire(@Param(gen = ThreadIdGen.class) int thread) {
        return count(thread, semaphore.tryAcquire());
    }

    /** Releases a permit this thread holds; returns whether it held one. */
    @Operation
    public boolean release(@Param(gen = ThreadIdGen.class) int thread) {
        if (held[thread] == 0) {
            return false;
        }
        held[thread]--;
        return InlineLoop.run(() -> {
            semaphore.release();
            return true;
        });
    }

    @Operation
    public int availablePermits() {
        return semaphore.availablePermits();
    }

    private boolean count(int thread, boolean acquired) {
        if (acquired) {
            held[thread]++;
        }
        return acquired;
    }
}
