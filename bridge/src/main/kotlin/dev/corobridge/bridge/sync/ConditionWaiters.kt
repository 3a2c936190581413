package dev.corobridge.bridge.sync

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.sync.Mutex
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicBoolean
import java.util.function.BooleanSupplier

/**
 * The waiters of one condition variable over a kotlinx [Mutex] (asyncio's `Condition`).
 *
 * A signal is claimed by exactly one waiter: either the signaller claims it (and wakes the waiter)
 * or the waiter withdraws (it was cancelled first). A waiter that was woken but then does not keep
 * the lock (cancelled while re-locking) passes its signal on, so no signal is lost.
 */
public class ConditionWaiters {
    private val queue = ConcurrentLinkedQueue<Waiter>()

    private class Waiter {
        val claimed = AtomicBoolean()
        val woken = CompletableDeferred<Unit>()
    }

    /**
     * Releases [mutex] (which the caller holds), waits for a signal and locks it again, repeating
     * until [until] holds (once, if it is null). The future completes normally only with the mutex
     * held by the caller; if it fails or is cancelled, the caller does not hold it.
     */
    public fun await(mutex: Mutex, until: BooleanSupplier?): CompletableFuture<Void?> = startWait(
        acquire = {
            do {
                val waiter = Waiter()
                queue.add(waiter) // before unlocking, so a signal sent right after the unlock finds it
                mutex.unlock()
                try {
                    waiter.woken.await()
                } catch (cancelled: CancellationException) {
                    if (!withdraw(waiter)) signal()
                    throw cancelled
                }
                try {
                    mutex.lock()
                } catch (cancelled: CancellationException) {
                    signal()
                    throw cancelled
                }
            } while (!holds(until, mutex))
            null
        },
        giveBack = {
            giveBack { mutex.unlock() }
            signal()
        },
    )

    /** Wakes the longest-waiting waiter, if any; returns whether one was woken. */
    public fun signal(): Boolean {
        while (true) {
            val waiter = queue.poll() ?: return false
            if (waiter.claimed.compareAndSet(false, true)) {
                waiter.woken.complete(Unit)
                return true
            }
        }
    }

    /** Wakes every waiter; returns how many were woken. */
    public fun signalAll(): Int {
        var woken = 0
        while (signal()) woken++
        return woken
    }

    /** Returns the number of waiters not yet signalled (a snapshot). */
    public fun waiting(): Int = queue.size

    private fun withdraw(waiter: Waiter): Boolean {
        if (!waiter.claimed.compareAndSet(false, true)) return false
        queue.remove(waiter)
        return true
    }

    private fun holds(until: BooleanSupplier?, mutex: Mutex): Boolean {
        if (until == null) return true
        try {
            return until.asBoolean
        } catch (failure: Throwable) {
            mutex.unlock() // a failed wait leaves the mutex released, as a cancelled one does
            throw failure
        }
    }
}
