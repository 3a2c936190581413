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
 * Checks that {@link AsyncMutex} is linearizable: locks (taken at once or given up by cancelling),
 * tries, unlocks by the holder and {@code isLocked} match some sequential order.
 * {@code withLock} holds the lock while its body runs, so it is not atomic by design; the
 * interleaving tests in {@link AsyncMutexTest} cover it.
 *
 * <p>The stress run is part of every build. The model-checking run explores interleavings one by
 * one through kotlinx's internals and takes about a minute on a small machine, so it runs only
 * with {@code -Dcorobridge.lincheck.modelChecking=true}. Waits resume on an unconfined loop
 * ({@link InlineLoop}), so that every step runs on the scenario's own threads.
 */
@ExtendWith(NoLeaks.class)
public class AsyncMutexLincheckTest extends LinearizabilityTest {
    private final AsyncMutex mutex = AsyncMutex.create();
    /** Which scenario thread holds the lock: only a holder unlocks, as the contract requires. */
    private final boolean[] holds = new boolean[8];

    /** Locks, or gives up the wait at once by cancelling it; returns whether it holds the lock. */
    @Operation
    public boolean lockOrCancel(@Param(gen = ThreadIdGen.class) int thread) {
        return InlineLoop.run(() -> {
            CompletableFuture<Void> locked = mutex.lock();
            return holds[thread] = locked.isDone() || !locked.cancel(false);
        });
    }

    @Operation
    public boolean tryLock(@Param(gen = ThreadIdGen.class) int thread) {
        return holds[thread] = mutex.tryLock();
    }

    /** Unlocks if this thread holds the lock; returns whether it did. */
    @Operation
    public boolean unlock(@Param(gen = ThreadIdGen.class) int thread) {
        if (!holds[thread]) {
            return false;
        }
        holds[thread] = false;
        return InlineLoop.run(() -> {
            mutex.unlock();
            return true;
        });
    }

    @Operation
    public boolean isLocked() {
        return mutex.isLocked();
    }
}
