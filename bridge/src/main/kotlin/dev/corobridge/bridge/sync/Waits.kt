@file:JvmName("Waits")

package dev.corobridge.bridge.sync

import dev.corobridge.bridge.Ambient
import dev.corobridge.bridge.Origin
import dev.corobridge.bridge.stageOf
import dev.corobridge.bridge.BlockingBody
import dev.corobridge.bridge.BlockingDispatcher
import dev.corobridge.bridge.awaitSettled
import dev.corobridge.bridge.awaitStage
import dev.corobridge.bridge.toFuture
import dev.corobridge.bridge.unpack
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Job
import kotlinx.coroutines.job
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withContext
import java.util.concurrent.BrokenBarrierException
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage
import java.util.function.Function
import java.util.function.Supplier

/** Waits for a permit of [semaphore]; the future completes once this caller holds it. */
public fun acquire(semaphore: Semaphore): CompletableFuture<Void?> =
    startWait<Void?>(acquire = { semaphore.acquire(); null }, giveBack = { giveBack { semaphore.release() } })

/** Waits to lock [mutex]; the future completes once this caller holds it. */
public fun lock(mutex: Mutex): CompletableFuture<Void?> =
    startWait<Void?>(acquire = { mutex.lock(); null }, giveBack = { giveBack { mutex.unlock() } })

/** Waits until [gate] completes, whatever its value. */
public fun awaitGate(gate: Deferred<*>): CompletableFuture<Void?> =
    startWait<Void?>(acquire = { gate.await(); null }, giveBack = {})

/**
 * Waits for a barrier [gate]: completes with [index] if it opens with `true`, fails with
 * [BrokenBarrierException] if it opens with `false`; [abandoned] runs if this wait ends any other
 * way (it was cancelled), so that the barrier can break.
 */
public fun awaitBarrier(gate: Deferred<Boolean>, index: Int, abandoned: Runnable): CompletableFuture<Int> =
    startWait(
        acquire = { if (gate.await()) index else throw BrokenBarrierException("the barrier was broken or reset") },
        giveBack = {},
        abandoned = { abandoned.run() },
    )

/**
 * Runs a stage body once it holds a permit of [semaphore], for a caller that found none free; the
 * permit is released however the body ends ([release] is the caller's `semaphore::release`, made
 * once). The future [futureFor] makes for the wait's job is settled with the body's outcome. The
 * wait is a [QueuedBody], or a coroutine on a loop that does not dispatch.
 */
public fun <T, F : CompletableFuture<in T>> withPermit(
    semaphore: Semaphore,
    release: Runnable,
    body: Supplier<out CompletionStage<T>?>,
    futureFor: Function<in Job, out F>,
): F = QueuedBody.start(ACQUIRE, semaphore, release, body, futureFor)
    ?: startHolding(futureFor) { semaphore.withPermit { unpack<T>(awaitSettled(toFuture(stageOf(body)))) } }

/** Runs a blocking body while holding a permit of [semaphore]; the permit is released however it ends. */
public fun <T> withPermitBlocking(semaphore: Semaphore, body: BlockingBody<T>): Deferred<T> {
    val ambient = Ambient.currentOrGlobal()
    return startHolding { semaphore.withPermit { onBlockingThread(ambient, body) } }
}

/** Like [withPermit], for a caller that found [mutex] locked; it is unlocked however the body ends ([unlock]). */
public fun <T, F : CompletableFuture<in T>> withLock(
    mutex: Mutex,
    unlock: Runnable,
    body: Supplier<out CompletionStage<T>?>,
    futureFor: Function<in Job, out F>,
): F = QueuedBody.start(LOCK, mutex, unlock, body, futureFor)
    ?: startHolding(futureFor) { mutex.withLock { unpack<T>(awaitSettled(toFuture(stageOf(body)))) } }

/** Runs a blocking body while holding [mutex]; it is unlocked however the body ends. */
public fun <T> withLockBlocking(mutex: Mutex, body: BlockingBody<T>): Deferred<T> {
    val ambient = Ambient.currentOrGlobal()
    return startHolding { mutex.withLock { onBlockingThread(ambient, body) } }
}

/**
 * Awaits [stage], returned by a body that already holds a permit or lock (it ran inline, see
 * `InlineBody`), then gives that back with [release]; cancelling the result cancels the stage.
 */
public fun <T, F : CompletableFuture<in T>> awaitHolding(stage: CompletionStage<T>, release: Runnable, futureFor: Function<in Job, out F>): F =
    startHolding(futureFor) {
        try {
            awaitStage(stage)
        } finally {
            release.run()
        }
    }

/**
 * Starts a coroutine that waits in [acquire] and completes the returned future with its value.
 *
 * The coroutine starts undispatched, so the waiter is queued before this returns: calls made in
 * order from one thread are served in that order (FIFO), and a wait that need not suspend
 * completes on the calling thread. It resumes on the running loop, like `Origin.detached()`.
 * If the future was completed from outside by the time [acquire] returns, [giveBack] returns what
 * was acquired; [abandoned] runs whenever the future does not end with the acquired value.
 */
internal fun <T> startWait(
    acquire: suspend () -> T,
    giveBack: (T) -> Unit,
    abandoned: () -> Unit = {},
): CompletableFuture<T> {
    val result = PendingFuture<T>()
    val job = Origin.detached().launch(CoroutineStart.UNDISPATCHED) {
        val value = try {
            acquire()
        } catch (failure: Throwable) {
            abandoned()
            if (failure is CancellationException) result.drop() else result.fail(failure)
            return@launch // the outcome travels in the future; rethrowing would reach the uncaught-exception handler
        }
        if (!result.settle(value)) {
            giveBack(value)
            abandoned()
        }
    }
    result.attach(job)
    return result
}

/**
 * Gives back a grant that nobody took. It fails only if some caller that did not hold the permit
 * or lock released it in the meantime (the primitives have no owners): that release already gave
 * it back, so the count is right and there is nothing left to do.
 */
internal inline fun giveBack(release: () -> Unit) {
    try {
        release()
    } catch (_: IllegalStateException) {
        // released already, by the caller that released what it did not hold
    }
}

/** How a [QueuedBody] waits for a permit: one shared lambda, started once per wait. */
private val ACQUIRE: suspend Semaphore.() -> Unit = { acquire() }

/** How a [QueuedBody] waits for the lock. */
private val LOCK: suspend Mutex.() -> Unit = { lock(null) }

/** Starts, undispatched, a coroutine that holds something while it runs [block]: no hop when it is free. */
private fun <T> startHolding(block: suspend CoroutineScope.() -> T): Deferred<T> =
    Origin.detached().launch(CoroutineStart.UNDISPATCHED, block)

/** [startHolding] for a coroutine that settles the future [futureFor] makes for its job. */
private fun <T, F : CompletableFuture<in T>> startHolding(futureFor: Function<in Job, out F>, block: suspend CoroutineScope.() -> T): F =
    Origin.detached().settling(CoroutineStart.UNDISPATCHED, futureFor, block)

private suspend fun <T> onBlockingThread(ambient: Ambient, body: BlockingBody<T>): T =
    withContext(BlockingDispatcher.INSTANCE + ambient.blocking) { body.run(coroutineContext.job) }

