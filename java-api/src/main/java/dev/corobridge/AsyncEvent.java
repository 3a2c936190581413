package dev.corobridge;

import dev.corobridge.bridge.sync.Waits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import kotlin.Unit;
import kotlinx.coroutines.CompletableDeferred;
import kotlinx.coroutines.CompletableDeferredKt;

/**
 * A flag that tasks wait for: asyncio's {@code Event}. {@link #set()} wakes every waiter, and later
 * {@link #await()}s complete at once until {@link #clear()}.
 *
 * <pre>{@code
 * AsyncEvent ready = AsyncEvent.create();
 * Task<Void> worker = Coroutines.async(() -> ready.await().thenCompose(ok -> work()));
 * ready.set();
 * }</pre>
 *
 * <p>Each open period is a kotlinx {@code CompletableDeferred}; {@code set} completes it and
 * {@code clear} starts a new one, so a waiter woken by {@code set} stays woken even if
 * {@code clear} follows at once. Cancelling the future of a pending {@link #await()} removes the
 * waiter; it affects no one else. A waiter is resumed on the running loop, as for
 * {@link AsyncSemaphore}.
 *
 * <p>Thread-safe.
 */
public final class AsyncEvent {
    private final AtomicReference<CompletableDeferred<Unit>> gate = new AtomicReference<>(newGate());

    private AsyncEvent() {}

    /**
     * Creates an event that is not set.
     *
     * @return a new event
     */
    public static AsyncEvent create() {
        return new AsyncEvent();
    }

    /** Sets the event: wakes every waiter, and lets later waits complete at once. */
    public void set() {
        gate.get().complete(Unit.INSTANCE);
    }

    /** Clears the event: later waits wait for the next {@link #set()}. Does nothing if it is not set. */
    public void clear() {
        CompletableDeferred<Unit> current = gate.get();
        if (current.isCompleted()) {
            gate.compareAndSet(current, newGate());
        }
    }

    /**
     * Returns whether the event is set now (a snapshot).
     *
     * @return {@code true} between {@link #set()} and {@link #clear()}
     */
    public boolean isSet() {
        return gate.get().isCompleted();
    }

    /**
     * Waits, without blocking, until the event is set.
     *
     * @return a future that completes with {@code null} once the event is set (already complete
     *     if it is set now); cancel it to stop waiting
     */
    public CompletableFuture<Void> await() {
        CompletableDeferred<Unit> current = gate.get();
        if (current.isCompleted()) {
            return Done.VOID;
        }
        return Waits.awaitGate(current);
    }

    @Override
    public String toString() {
        return "AsyncEvent[" + (isSet() ? "set" : "clear") + "]";
    }

    private static CompletableDeferred<Unit> newGate() {
        return CompletableDeferredKt.CompletableDeferred(null);
    }
}
