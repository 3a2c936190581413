package dev.corobridge.bridge.sync

import kotlinx.coroutines.Job
import java.util.concurrent.CompletableFuture

/**
 * The future of one pending wait (an acquire, a lock, an event or barrier wait).
 *
 * Whoever completes it first decides the outcome: the waiting coroutine through [settle], [fail]
 * and [drop], or the user through [cancel], [complete], [completeExceptionally] (and so
 * `orTimeout`), which also cancel the waiting coroutine so that its waiter is removed. The
 * coroutine gives back what it acquired when its own [settle] loses that race, so no interleaving
 * keeps a permit that nobody owns.
 */
public class PendingFuture<T> internal constructor() : CompletableFuture<T>() {
    @Volatile
    private var job: Job? = null

    internal fun attach(job: Job) {
        this.job = job
    }

    internal fun settle(value: T): Boolean = super.complete(value)

    internal fun fail(cause: Throwable): Boolean = super.completeExceptionally(cause)

    internal fun drop(): Boolean = super.cancel(false)

    /** Cancels the wait: the waiter is removed, and nothing it was granted is kept. */
    override fun cancel(mayInterruptIfRunning: Boolean): Boolean = super.cancel(mayInterruptIfRunning).also { stopWaiting() }

    /** Completes the future from outside and abandons the wait. */
    override fun complete(value: T): Boolean = super.complete(value).also { stopWaiting() }

    /** Fails the future from outside and abandons the wait. */
    override fun completeExceptionally(ex: Throwable): Boolean = super.completeExceptionally(ex).also { stopWaiting() }

    /** Returns a plain future: dependents of a wait are not waits. */
    override fun <U> newIncompleteFuture(): CompletableFuture<U> = CompletableFuture()

    private fun stopWaiting() {
        job?.cancel()
    }
}
