package dev.corobridge;

import dev.corobridge.bridge.sync.ConditionWaiters;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Lets tasks wait until another task signals that something changed: asyncio's
 * {@code Condition}, over an {@link AsyncMutex} that guards the shared state.
 *
 * <pre>{@code
 * AsyncMutex mutex = AsyncMutex.create();
 * AsyncCondition notEmpty = AsyncCondition.create(mutex);
 *
 * Task<Item> taken = mutex.withLock(() -> notEmpty.awaitUntil(() -> !queue.isEmpty())
 *         .thenApply(held -> queue.remove()));
 *
 * mutex.withLock(() -> {
 *     queue.add(item);
 *     notEmpty.signal();
 *     return CompletableFuture.completedFuture(null);
 * });
 * }</pre>
 *
 * <p><b>Holding the mutex.</b> Every method must be called while the caller holds the mutex. An
 * {@code AsyncMutex} has no owner (it is not reentrant and belongs to no thread or task), so, as
 * asyncio's {@code Condition} does, this class checks only that the mutex is locked: calling a
 * method on an unlocked mutex throws {@link IllegalStateException}; calling it while some
 * <em>other</em> task holds the lock cannot be detected and is a bug in the caller.
 *
 * <p><b>Waiting.</b> {@link #await()} releases the mutex, waits for a signal and locks the mutex
 * again before its future completes, so the code that runs after it holds the lock. Waiters are
 * woken first in, first out. A signal sent when nobody waits is lost, as in asyncio; so wait with
 * {@link #awaitUntil} for a state, not for an event.
 *
 * <p><b>Cancellation and failure.</b> The rule is simple: the future completes normally only with
 * the mutex held by the caller; if it is cancelled or fails, the caller does not hold it and must
 * not unlock it. A cancelled waiter is removed; if it had just been signalled, the signal passes
 * to the next waiter, so no signal is lost to a cancellation. Cancel the future {@code await}
 * returned, not a stage derived from it: derived stages do not cancel what they derive from. In
 * particular, cancelling a {@link AsyncMutex#withLock} task whose body is waiting here cancels only
 * the stage the body returned; the wait goes on and would take the mutex back later, so give such
 * waits a way to end (a timeout, or cancel them yourself) rather than relying on that task.
 *
 * <p>Thread-safe. Waiters are resumed on the running loop, as for {@link AsyncSemaphore}.
 */
public final class AsyncCondition {
    private final AsyncMutex mutex;
    private final ConditionWaiters waiters = new ConditionWaiters();

    private AsyncCondition(AsyncMutex mutex) {
        this.mutex = mutex;
    }

    /**
     * Creates a condition whose state is guarded by {@code mutex}.
     *
     * @param mutex the mutex that callers hold
     * @return a new condition
     */
    public static AsyncCondition create(AsyncMutex mutex) {
        return new AsyncCondition(Objects.requireNonNull(mutex, "mutex"));
    }

    /**
     * Returns the mutex this condition releases and re-locks.
     *
     * @return the mutex
     */
    public AsyncMutex mutex() {
        return mutex;
    }

    /**
     * Releases the mutex, waits for {@link #signal()} or {@link #signalAll()}, and locks the
     * mutex again: asyncio's {@code Condition.wait}. The mutex is released before this returns.
     *
     * @return a future that completes with {@code null} once the caller holds the mutex again after
     *     a signal; if it is cancelled, the caller does not hold the mutex
     * @throws IllegalStateException if the mutex is not locked
     */
    public CompletableFuture<Void> await() {
        requireLocked("await");
        return waiters.await(mutex.asKotlin(), null);
    }

    /**
     * Waits until {@code predicate} holds: asyncio's {@code Condition.wait_for}. The predicate is
     * checked now and after each signal, always with the mutex held; while it is false, the mutex
     * is released and the caller waits for the next signal.
     *
     * @param predicate the state to wait for; reads state that the mutex guards
     * @return a future that completes with {@code null}, the mutex held by the caller, once the
     *     predicate holds (already complete if it holds now). If the predicate throws after a
     *     signal, the future fails with that exception and the mutex is released; if it throws
     *     on the first check, the exception is thrown here and the caller still holds the mutex
     * @throws IllegalStateException if the mutex is not locked
     */
    public CompletableFuture<Void> awaitUntil(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        requireLocked("awaitUntil");
        if (predicate.getAsBoolean()) {
            return Done.VOID;
        }
        return waiters.await(mutex.asKotlin(), predicate);
    }

    /**
     * Wakes the task that has waited longest, if any: asyncio's {@code notify()}. It locks the
     * mutex once the caller unlocks it.
     *
     * @throws IllegalStateException if the mutex is not locked
     */
    public void signal() {
        requireLocked("signal");
        waiters.signal();
    }

    /**
     * Wakes every waiting task: asyncio's {@code notify_all()}. They lock the mutex one at a time.
     *
     * @throws IllegalStateException if the mutex is not locked
     */
    public void signalAll() {
        requireLocked("signalAll");
        waiters.signalAll();
    }

    @Override
    public String toString() {
        return "AsyncCondition[waiting=" + waiters.waiting() + ", " + mutex + "]";
    }

    private void requireLocked(String operation) {
        if (!mutex.isLocked()) {
            throw new IllegalStateException(operation + " requires holding the condition's mutex, and it is not locked");
        }
    }
}
