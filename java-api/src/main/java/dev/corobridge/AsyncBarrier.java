package dev.corobridge;

import dev.corobridge.bridge.sync.Waits;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import kotlinx.coroutines.CompletableDeferred;
import kotlinx.coroutines.CompletableDeferredKt;

/**
 * Lets a fixed number of tasks wait for each other: asyncio's {@code Barrier}, an asynchronous
 * {@link java.util.concurrent.CyclicBarrier}.
 *
 * <pre>{@code
 * AsyncBarrier allLoaded = AsyncBarrier.of(3);
 * for (String part : List.of("a", "b", "c")) {
 *     Coroutines.async(() -> load(part).thenCompose(data -> allLoaded.arrive()).thenCompose(i -> merge()));
 * }
 * }</pre>
 *
 * <p><b>Cycles.</b> When the last of {@code parties} tasks arrives, every arrival of that cycle
 * completes, and the barrier is ready for the next cycle. Each arrival learns its index in the
 * cycle: {@code 0} for the first to arrive, {@code parties - 1} for the last (asyncio's order;
 * {@code CyclicBarrier} counts the other way).
 *
 * <p><b>Breaking.</b> If a waiting arrival is cancelled (or completed from outside), the barrier
 * breaks: the other waiters of that cycle fail with {@link BrokenBarrierException}, and so does
 * every later {@link #arrive()} until {@link #reset()}. {@code reset()} also fails the current
 * waiters with {@code BrokenBarrierException}, but leaves the barrier ready for a new cycle.
 *
 * <p>Thread-safe; arrivals are counted under a short lock, and waiting never blocks a thread.
 * Waiters are resumed on the running loop, as for {@link AsyncSemaphore}.
 */
public final class AsyncBarrier {
    private final int parties;
    private Cycle cycle = new Cycle(); // guarded by this

    /** One cycle of the barrier: its gate opens with true when it trips, with false when it breaks. */
    private static final class Cycle {
        final CompletableDeferred<Boolean> gate = CompletableDeferredKt.CompletableDeferred(null);
        int arrived;
        boolean broken;
    }

    private AsyncBarrier(int parties) {
        this.parties = parties;
    }

    /**
     * Creates a barrier for {@code parties} tasks.
     *
     * @param parties how many arrivals trip the barrier
     * @return a new barrier
     * @throws IllegalArgumentException if {@code parties} is not positive
     */
    public static AsyncBarrier of(int parties) {
        if (parties <= 0) {
            throw new IllegalArgumentException("parties must be > 0, was " + parties);
        }
        return new AsyncBarrier(parties);
    }

    /**
     * Arrives at the barrier and waits, without blocking, until {@code parties} tasks have arrived
     * in this cycle: asyncio's {@code Barrier.wait}.
     *
     * @return a future of this arrival's index in the cycle ({@code 0} first); it fails with
     *     {@link BrokenBarrierException} if the barrier is broken, or breaks or is reset while
     *     waiting. Cancelling it breaks the barrier
     */
    public CompletableFuture<Integer> arrive() {
        Cycle arrivedIn;
        int index;
        boolean tripped;
        synchronized (this) {
            arrivedIn = cycle;
            if (arrivedIn.broken) {
                return CompletableFuture.failedFuture(new BrokenBarrierException("the barrier is broken; reset() it"));
            }
            index = arrivedIn.arrived++;
            tripped = arrivedIn.arrived == parties;
            if (tripped) {
                cycle = new Cycle();
            }
        }
        if (tripped) {
            arrivedIn.gate.complete(true);
            return CompletableFuture.completedFuture(index);
        }
        return Waits.awaitBarrier(arrivedIn.gate, index, () -> breakWhileWaiting(arrivedIn));
    }

    /**
     * Fails the arrivals waiting now with {@link BrokenBarrierException} and makes the barrier
     * ready for a new cycle, broken or not.
     */
    public void reset() {
        Cycle old;
        synchronized (this) {
            old = cycle;
            cycle = new Cycle();
        }
        old.gate.complete(false);
    }

    /**
     * Returns how many arrivals trip the barrier.
     *
     * @return the number of parties
     */
    public int parties() {
        return parties;
    }

    /**
     * Returns how many arrivals wait in the current cycle (a snapshot).
     *
     * @return the number of waiting arrivals, {@code 0} when broken
     */
    public synchronized int waiting() {
        return cycle.broken ? 0 : cycle.arrived;
    }

    /**
     * Returns whether the barrier is broken (a snapshot).
     *
     * @return {@code true} from a cancelled arrival until {@link #reset()}
     */
    public synchronized boolean isBroken() {
        return cycle.broken;
    }

    @Override
    public String toString() {
        return "AsyncBarrier[parties=" + parties + ", waiting=" + waiting() + (isBroken() ? ", broken" : "") + "]";
    }

    private void breakWhileWaiting(Cycle abandoned) {
        synchronized (this) {
            if (cycle != abandoned || abandoned.broken) {
                return;
            }
            abandoned.broken = true;
        }
        abandoned.gate.complete(false);
    }
}
