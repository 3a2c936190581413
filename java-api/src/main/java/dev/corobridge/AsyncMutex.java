package dev.corobridge;

import dev.corobridge.bridge.BlockingBody;
import dev.corobridge.bridge.sync.Waits;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import kotlinx.coroutines.sync.Mutex;
import kotlinx.coroutines.sync.MutexKt;
import org.jspecify.annotations.Nullable;

/**
 * A lock for tasks: asyncio's {@code Lock}, a kotlinx {@code Mutex} seen from Java. Waiting for it
 * never blocks a thread.
 *
 * <pre>{@code
 * AsyncMutex mutex = AsyncMutex.create();
 * Task<Void> saved = mutex.withLock(() -> store.save(state));
 * }</pre>
 *
 * <p><b>Not reentrant.</b> The mutex belongs to no thread or task: a holder that calls
 * {@link #lock()} again waits for itself forever, and any caller may {@link #unlock()} it. Hold it
 * with {@link #withLock} where you can.
 *
 * <p><b>Fairness.</b> Waiters get the lock first in, first out; {@link #tryLock()} never takes it
 * over their heads.
 *
 * <p><b>Cancellation.</b> Cancelling the future of a pending {@link #lock()} removes the waiter;
 * if the lock was handed to it at that moment, it is unlocked again. {@link #withLock} and
 * {@link #withLockBlocking} unlock however the body ends.
 *
 * <p><b>Where things run.</b> An uncontended {@link #lock()} completes at once on the calling
 * thread; a waiter is resumed on the running loop, as for {@link AsyncSemaphore}.
 *
 * <p>Thread-safe.
 */
public final class AsyncMutex {
    private final Mutex mutex;
    private final Runnable unlock;

    private AsyncMutex(Mutex mutex) {
        this.mutex = mutex;
        this.unlock = () -> mutex.unlock(null);
    }

    /**
     * Creates an unlocked mutex.
     *
     * @return a new mutex
     */
    public static AsyncMutex create() {
        return new AsyncMutex(MutexKt.Mutex(false));
    }

    /**
     * Wraps a kotlinx {@code Mutex}, so that Kotlin and Java code exclude each other with it.
     * Locks taken here have no owner; {@link #unlock()} releases the lock whoever holds it.
     *
     * @param mutex the Kotlin mutex
     * @return a view of {@code mutex}
     */
    public static AsyncMutex from(Mutex mutex) {
        return new AsyncMutex(Objects.requireNonNull(mutex, "mutex"));
    }

    /**
     * Returns the kotlinx {@code Mutex} behind this one, for Kotlin code that shares it.
     *
     * @return the Kotlin mutex
     */
    public Mutex asKotlin() {
        return mutex;
    }

    /**
     * Locks the mutex, waiting without blocking while another holder has it.
     *
     * @return a future that completes with {@code null} once the caller holds the lock (already
     *     complete when it was free); cancel it to stop waiting, and a cancelled lock holds nothing
     */
    public CompletableFuture<Void> lock() {
        if (mutex.tryLock(null)) {
            return Done.VOID;
        }
        return Waits.lock(mutex);
    }

    /**
     * Locks the mutex if it is free now.
     *
     * @return whether the caller now holds the lock
     */
    public boolean tryLock() {
        return mutex.tryLock(null);
    }

    /**
     * Unlocks the mutex, handing it to the longest waiter if there is one.
     *
     * @throws IllegalStateException if the mutex is not locked
     */
    public void unlock() {
        mutex.unlock(null);
    }

    /**
     * Returns whether the mutex is locked now (a snapshot).
     *
     * @return {@code true} while someone holds it
     */
    public boolean isLocked() {
        return mutex.isLocked();
    }

    /**
     * Runs {@code body} while holding the lock and unlocks however the body ends: asyncio's
     * {@code async with lock:}, kotlinx's {@code withLock}. If the mutex is free, the body runs at
     * once on the calling thread, and when its stage is already complete the returned task is too
     * (no coroutine is started); otherwise the body runs on the running loop once the lock is
     * handed over. The mutex is unlocked before the task completes.
     *
     * @param body a non-blocking body; its stage belongs to the task
     * @param <T> the type of the value
     * @return the task, completing with the stage's value or original exception; cancelling it
     *     stops the wait, or cancels the stage and unlocks
     */
    public <T extends @Nullable Object> Task<T> withLock(Supplier<? extends CompletionStage<T>> body) {
        Objects.requireNonNull(body, "body");
        if (mutex.tryLock(null)) {
            return Holding.run(body, unlock);
        }
        return Waits.withLock(mutex, unlock, body, Task::settledBy);
    }

    /**
     * Runs a blocking {@code body} while holding the lock and unlocks however the body ends. The
     * body runs on a virtual thread on JDK 21+ (kotlinx's {@code Dispatchers.IO} on JDK 17) and is
     * interrupted if the task is cancelled (unless with {@code cancel(false)}).
     *
     * @param body the blocking body
     * @param <T> the type of the value
     * @return the task, completing with the body's value or original exception
     */
    public <T extends @Nullable Object> Task<T> withLockBlocking(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        BlockingBody<T> blocking = new BlockingBody<>(body);
        return Task.of(Waits.withLockBlocking(mutex, blocking), blocking);
    }

    @Override
    public String toString() {
        return "AsyncMutex[" + (isLocked() ? "locked" : "unlocked") + "]";
    }
}
