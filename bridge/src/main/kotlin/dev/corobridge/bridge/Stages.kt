@file:JvmName("Stages")

package dev.corobridge.bridge

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
public suspend fun <T> awaitStage(stage: CompletionStage<T>): T {
    val future = toFuture(stage)
    if (future.isDone) return valueOf(future)
    val settled = suspendCancellableCoroutine { continuation ->
        future.whenComplete(Resumer(continuation))
        continuation.invokeOnCancellation { future.cancel(false) }
    }
    @Suppress("UNCHECKED_CAST")
    if (settled is Failed) throw settled.cause else return settled as T
}

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

/** True when [failure], unwrapped, is a cancellation rather than a real failure. */
public fun isCancellation(failure: Throwable): Boolean = unwrap(failure) is CancellationException

internal class Failed(@JvmField val cause: Throwable)

private class Resumer<T>(private val continuation: kotlinx.coroutines.CancellableContinuation<Any?>) :
    BiConsumer<T, Throwable?> {
    override fun accept(value: T, failure: Throwable?) {
        continuation.resume(if (failure == null) value else Failed(unwrap(failure)))
    }
}
