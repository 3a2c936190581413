@file:JvmName("Stages")

package dev.corobridge.bridge

import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import java.util.concurrent.CompletionStage
import java.util.function.BiConsumer
import kotlin.coroutines.resume

/**
 * Suspends until [stage] completes and returns its value, or throws its original exception.
 *
 * The stage is owned by the caller's coroutine: if the coroutine is cancelled first, the stage is
 * cancelled too. A stage that is already complete is read at once, without suspending.
 *
 * Exceptions are thrown from here rather than resumed into the continuation, so kotlinx's
 * stack-trace recovery (active under `-ea`) never swaps the user's exception for a copy.
 */
public suspend fun <T> awaitStage(stage: CompletionStage<T>): T = unpack(awaitSettled(toFuture(stage)))

/**
 * What [awaitStage] waits for, without its last step: the value of [future], or its original
 * exception as [Failed], which the caller passes to [unpack].
 *
 * Split so that a coroutine whose whole body is one await (every stage-body task) suspends with
 * no frame of its own: the only suspending call here is the tail call, so no continuation object
 * is allocated for it, and the caller's own state machine carries the result.
 */
internal suspend fun <T> awaitSettled(future: CompletableFuture<T>): Any? {
    if (future.isDone) return valueOf(future)
    return suspendCancellableCoroutine { continuation ->
        val resumer = Resumer<T>(continuation, future)
        future.whenComplete(resumer)
        continuation.invokeOnCancellation(resumer)
    }
}

/** The value [awaitSettled] returned, or its [Failed] cause thrown, from the caller's own frame. */
@Suppress("UNCHECKED_CAST")
internal fun <T> unpack(settled: Any?): T = if (settled is Failed) throw settled.cause else settled as T

/** A view of [stage] as a future that cancelling reaches, where the stage allows it. */
public fun <T> toFuture(stage: CompletionStage<T>): CompletableFuture<T> = try {
    stage.toCompletableFuture()
} catch (_: UnsupportedOperationException) {
    CompletableFuture<T>().also { copy -> stage.whenComplete { value, failure -> settle(copy, value, failure) } }
}

/** The value of a completed [future], or its original exception thrown. */
public fun <T> valueOf(future: CompletableFuture<T>): T = try {
    future.join()
} catch (wrapped: CompletionException) {
    throw unwrap(wrapped)
}

/** The exception a user would recognise: [failure] without the JDK's [CompletionException] wrappers. */
public fun unwrap(failure: Throwable): Throwable {
    var current = failure
    while (current is CompletionException) current = current.cause ?: return current
    return current
}

/** Completes [target] with [value] or the original of [failure]. */
public fun <T> settle(target: CompletableFuture<in T>, value: T?, failure: Throwable?) {
    @Suppress("UNCHECKED_CAST")
    if (failure == null) target.complete(value as T) else target.completeExceptionally(unwrap(failure))
}

/**
 * A future completed with [source]'s outcome on the running loop of the caller (the global one on
 * a plain thread), so that its dependents run there, as they would after a coroutine of that loop
 * awaited [source]: when [source] completes on a thread of its own, one task dispatched to the loop
 * completes the result. It takes no coroutine. A [source] already complete, a loop that does not
 * dispatch (unconfined) and a loop that refuses the task (shut down) complete it at once.
 * Cancelling the result leaves [source] alone.
 */
public fun <T> onCallersLoop(source: CompletableFuture<T>): CompletableFuture<T> {
    if (source.isDone) return source.copy()
    val result = CompletableFuture<T>()
    val ambient = Ambient.currentOrGlobal()
    val home = ambient.home as? CoroutineDispatcher
    val context = ambient.detachedContext
    source.whenComplete { value, failure ->
        val complete = Runnable { settle(result, value, failure) }
        if (home == null || !home.isDispatchNeeded(context)) {
            complete.run()
        } else {
            try {
                home.dispatch(context, complete)
            } catch (refused: Throwable) {
                complete.run()
            }
        }
    }
    return result
}

/** True when [failure], unwrapped, is a cancellation rather than a real failure. */
public fun isCancellation(failure: Throwable): Boolean = unwrap(failure) is CancellationException

internal class Failed(@JvmField val cause: Throwable)

/**
 * Resumes the awaiting continuation with the future's outcome, and cancels the future if the
 * continuation is cancelled first: one object for both directions.
 */
private class Resumer<T>(
    private val continuation: CancellableContinuation<Any?>,
    private val future: CompletableFuture<T>,
) : BiConsumer<T, Throwable?>, (Throwable?) -> Unit {
    override fun accept(value: T, failure: Throwable?) {
        continuation.resume(if (failure == null) value else Failed(unwrap(failure)))
    }

    override fun invoke(cause: Throwable?) {
        future.cancel(false)
    }
}
