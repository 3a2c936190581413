package dev.corobridge.bridge

import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicBoolean
import java.util.function.BiConsumer
import kotlin.coroutines.resume
import kotlin.time.Duration

/**
 * Awaits [future] for at most [limit]; on time-out cancels it and throws [TimeoutException].
 *
 * The future's completion and the timer race for one claim, so the outcome is whichever happened
 * first and neither can be lost: a failure that arrives before the deadline is thrown as itself,
 * never replaced by a timeout (the race kotlinx.coroutines#892 is about), and a timeout is never
 * reported as a bare cancellation.
 */
internal suspend fun <T> awaitWithin(future: CompletableFuture<T>, limit: Duration, shown: java.time.Duration): T {
    if (future.isDone) return valueOf(future)
    var timer: Job? = null
    val settled = try {
        suspendCancellableCoroutine { continuation ->
            val race = DeadlineRace<T>(continuation)
            future.whenComplete(race)
            continuation.invokeOnCancellation { future.cancel(false) }
            timer = CoroutineScope(continuation.context).launch(start = CoroutineStart.UNDISPATCHED) {
                delay(limit)
                race.timeUp()
            }
        }
    } finally {
        timer?.cancel()
    }
    if (settled === TIMED_OUT) {
        future.cancel(false)
        throw TimeoutException("timed out after $shown")
    }
    @Suppress("UNCHECKED_CAST")
    if (settled is Failed) throw settled.cause else return settled as T
}

private val TIMED_OUT = Any()

private class DeadlineRace<T>(private val continuation: CancellableContinuation<Any?>) : BiConsumer<T, Throwable?> {
    private val claimed = AtomicBoolean()

    override fun accept(value: T, failure: Throwable?) {
        if (claimed.compareAndSet(false, true)) continuation.resume(if (failure == null) value else Failed(unwrap(failure)))
    }

    fun timeUp() {
        if (claimed.compareAndSet(false, true)) continuation.resume(TIMED_OUT)
    }
}
