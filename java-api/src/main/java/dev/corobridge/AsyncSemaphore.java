package dev.corobridge;

import dev.corobridge.bridge.BlockingBody;
import dev.corobridge.bridge.sync.Waits;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import kotlinx.coroutines.sync.Semaphore;
import kotlinx.coroutines.sync.SemaphoreKt;
import org.jspecify.annotations.Nullable;

/**
 * Limits how many tasks run a section at once: asyncio's {@code BoundedSemaphore}, a kotlinx
 * {@code Semaphore} seen from Java. Nothing here blocks a thread: a caller without a permit gets a
 * future that completes when one is handed to it.
 *
 * <pre>{@code
 * AsyncSemaphore calls = AsyncSemaphore.of(10);   // at most 10 requests in flight
 * List<Task<Page>> pages = uris.stream()
 *         .map(uri -> calls.withPermit(() -> http.get(uri)))
 *         .toList();
 * }</pre>
 *
 * <p><b>Fairness.</b> Waiters are served first in, first out: a permit released while others
 * wait goes to the one that has waited longest, and {@link #tryAcquire()} never takes it over
 * their heads. Calls from one thread queue in the order they were made.
 *
 * <p><b>Cancellation.</b> Cancelling (or completing, or timing out) the future of a pending
 * {@link #acquire()} removes the waiter. If a permit was handed to it at that very moment, the
 * permit is released again: no interleaving loses a permit or creates one. {@link #withPermit}
 * and {@link #withPermitBlocking} release the permit however the body ends: a value, an
 * exception, a failed stage, or cancellation.
 *
 * <p><b>Where things run.</b> An uncontended {@link #acquire()} completes at once, on the calling
 * thread, with no coroutine; a waiter is resumed on the running loop (the dispatcher of the body
 * that called it, {@code Dispatchers.Default} from a plain thread), so its dependents run there.
 *
 * <p>Thread-safe.
 */
public final class AsyncSemaphore {
    /** The number of permits, or {@link #UNKNOWN} for a wrapped Kotlin semaphore. */
    private static final int UNKNOWN = Integer.MAX_VALUE;

    private final Semaphore semaphore;
    private final int permits;
    private final Runnable release;

    private AsyncSemaphore(Semaphore semaphore, int permits) {
        this.semaphore = semaphore;
        this.permits = permits;
        this.release = semaphore::release;
    }

    /**
     * Creates a semaphore with {@code permits} permits, all available.
     *
     * @param permits how many holders may hold a permit at once
     * @return a new semaphore
     * @throws IllegalArgumentException if {@code permits} is not positive
     */
    public static AsyncSemaphore of(int permits) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permits must be > 0, was " + permits);
        }
        return new AsyncSemaphore(SemaphoreKt.Semaphore(permits, 0), permits);
    }

    /**
     * Wraps a kotlinx {@code Semaphore}, so that Kotlin and Java code share its permits. Nothing is
     * copied: both sides acquire and release the same permits, in one FIFO queue.
     *
     * @param semaphore the Kotlin semaphore
     * @return a view of {@code semaphore}
     */
    public static AsyncSemaphore from(Semaphore semaphore) {
        return new AsyncSemaphore(Objects.requireNonNull(semaphore, "semaphore"), UNKNOWN);
    }

    /**
     * Returns the kotlinx {@code Semaphore} behind this one, for Kotlin code that shares it.
     *
     * @return the Kotlin semaphore; permits taken there are taken here
     */
    public Semaphore asKotlin() {
        return semaphore;
    }

    /**
     * Acquires a permit, waiting without blocking if none is available: asyncio's
     * {@code async with sem} entry, kotlinx's {@code acquire}.
     *
     * <pre>{@code
     * sem.acquire().thenCompose(ok -> call()).whenComplete((value, failure) -> sem.release());
     * }</pre>
     *
     * @return a future that completes with {@code null} once the caller holds a permit; when one
     *     is free it is already complete (and may be a shared instance). Cancel it to stop
     *     waiting; a cancelled acquire holds no permit
     */
    public CompletableFuture<Void> acquire() {
        if (semaphore.tryAcquire()) {
            return Done.VOID;
        }
        return Waits.acquire(semaphore);
    }

    /**
     * Acquires a permit if one is available now and nobody is waiting for it.
     *
     * @return whether the caller now holds a permit
     */
    public boolean tryAcquire() {
        return semaphore.tryAcquire();
    }

    /**
     * Releases a permit: hands it to the longest waiter, or makes it available.
     *
     * @throws IllegalStateException if that would make more permits available than the semaphore
     *     has (asyncio's {@code BoundedSemaphore} rule)
     */
    public void release() {
        semaphore.release();
    }

    /**
     * Returns how many permits are available now: a snapshot, exact only when no other thread is
     * acquiring or releasing; zero while callers wait. For a semaphore made by {@link #from}, a
     * concurrent release beyond the permits (which throws) may briefly show one permit too many.
     *
     * @return the number of available permits
     */
    public int availablePermits() {
        // kotlinx counts a release beyond the permits before it undoes it and throws; never show that count.
        return Math.min(permits, semaphore.getAvailablePermits());
    }

    /**
     * Runs {@code body} while holding a permit and releases it however the body ends: asyncio's
     * {@code async with sem:} block, kotlinx's {@code withPermit}.
     *
     * <p>If a permit is free, the body runs at once on the calling thread, and when its stage is
     * already complete the returned task is too (no coroutine is started: this costs about as much
     * as the body); otherwise the body runs on the running loop once a permit is handed over. The
     * permit is released when the body's stage completes, when the body throws, or when the task is
     * cancelled, always before the task completes.
     *
     * @param body a non-blocking body; its stage belongs to the task
     * @param <T> the type of the value
     * @return the task, completing with the stage's value or original exception; cancelling it
     *     stops the wait, or cancels the stage and releases the permit
     */
    public <T extends @Nullable Object> Task<T> withPermit(Supplier<? extends CompletionStage<T>> body) {
        Objects.requireNonNull(body, "body");
        if (semaphore.tryAcquire()) {
            return Holding.run(body, release);
        }
        return Waits.withPermit(semaphore, release, body, Task::settledBy);
    }

    /**
     * Runs a blocking {@code body} while holding a permit and releases it however the body ends.
     * The body runs on a virtual thread on JDK 21+ (kotlinx's {@code Dispatchers.IO} on JDK 17)
     * and is interrupted if the task is cancelled (unless with {@code cancel(false)}).
     *
     * @param body the blocking body
     * @param <T> the type of the value
     * @return the task, completing with the body's value or original exception
     */
    public <T extends @Nullable Object> Task<T> withPermitBlocking(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        BlockingBody<T> blocking = new BlockingBody<>(body);
        return Task.of(Waits.withPermitBlocking(semaphore, blocking), blocking);
    }

    @Override
    public String toString() {
        return "AsyncSemaphore[availablePermits=" + availablePermits() + "]";
    }
}
