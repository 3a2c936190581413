package dev.corobridge.bridge.sync

import dev.corobridge.bridge.Ambient
import dev.corobridge.bridge.Origin
import dev.corobridge.bridge.SettlingCoroutine
import dev.corobridge.bridge.awaitStage
import dev.corobridge.bridge.stageOf
import dev.corobridge.bridge.toFuture
import dev.corobridge.bridge.unwrap
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage
import java.util.function.Function
import java.util.function.Supplier
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED
import kotlin.coroutines.intrinsics.startCoroutineUninterceptedOrReturn

/**
 * A `withPermit` or `withLock` call that found the permit or lock taken: it waits in the
 * primitive's own queue without running a coroutine body, then runs the body on the caller's
 * running loop, holding what it waited for.
 *
 * Starting a coroutine per waiting call made a contended `withLock` from Java several times dearer
 * than kotlinx's (B3): a coroutine body to start, a dispatched continuation to make and thread
 * context to switch, all for one suspension. Here the task's coroutine is made but never started
 * (`Origin.settlingCoroutine`), and the wait is a bare continuation of the primitive's `acquire`
 * or `lock` whose context is only that coroutine's job. With no dispatcher in that context the
 * primitive resumes the waiter on the releasing thread, and the waiter dispatches the body to the
 * loop itself, once. Cancelling the job (the task) removes the waiter from the queue, as it would
 * a suspended coroutine's; the job then stays cancelling until whatever was held is given back,
 * and the waiter ends it through `resumeWith` with the body's outcome.
 *
 * What a caller sees does not differ from a coroutine that waits and then runs the body: the wait
 * is queued before the call returns (FIFO among the calls of one thread), a permit or lock that is
 * free by then runs the body at once on the calling thread, the body runs with the caller's loop as
 * its ambient loop and the job as the owner of the detached work it starts, the permit or lock is
 * given back before the task completes, and a stage still pending is awaited while holding, in a
 * child of the job that gives back what it holds however the stage ends.
 */
internal class QueuedBody<T> private constructor(
    private val body: Supplier<out CompletionStage<T>?>,
    private val release: Runnable,
    private val coroutine: SettlingCoroutine<T, *>,
    private val ambient: Ambient,
    private val home: CoroutineDispatcher,
) : Continuation<Unit>, Runnable {

    /** The job alone: no dispatcher, so the primitive resumes this waiter where it releases. */
    override val context: CoroutineContext get() = coroutine

    /** The wait ended: holding now, or cancelled (then the primitive has given back what it would have granted). */
    override fun resumeWith(result: Result<Unit>) {
        val failure = result.exceptionOrNull()
        if (failure != null) return coroutine.resumeWith(Result.failure(failure))
        try {
            home.dispatch(coroutine.context, this)
        } catch (rejected: Throwable) {
            finish(Result.failure(rejected))
        }
    }

    /** Runs the body, with the loop's ambient element set as it would be for a coroutine of the loop. */
    override fun run() {
        val context = coroutine.context
        val previous = ambient.updateThreadContext(context)
        try {
            runBody()
        } finally {
            ambient.restoreThreadContext(context, previous)
        }
    }

    private fun runBody() {
        if (!coroutine.isActive) return finish(Result.failure(CancellationException("the task was cancelled while it waited")))
        val stage = try {
            toFuture(stageOf(body))
        } catch (failure: Throwable) {
            return finish(Result.failure(failure))
        }
        if (!stage.isDone) return holdUntilDone(stage)
        finish(
            try {
                Result.success(stage.join())
            } catch (failure: Throwable) {
                Result.failure(unwrap(failure))
            },
        )
    }

    /** Gives back what the body held, then ends the task with the body's outcome, or with the release's exception if it throws. */
    private fun finish(outcome: Result<T>) {
        val ended = try {
            release.run()
            outcome
        } catch (releaseFailure: Throwable) {
            Result.failure(releaseFailure)
        }
        coroutine.resumeWith(ended)
    }

    /** Awaits a stage still pending in a child of the job that gives back what it holds however the stage ends, then ends with it. */
    @OptIn(ExperimentalCoroutinesApi::class) // getCompleted: read only once the child has completed
    private fun holdUntilDone(stage: CompletableFuture<T>) {
        val holder = coroutine.async(start = CoroutineStart.UNDISPATCHED) {
            try {
                awaitStage(stage)
            } finally {
                release.run()
            }
        }
        holder.invokeOnCompletion { cause ->
            coroutine.resumeWith(if (cause == null) Result.success(holder.getCompleted()) else Result.failure(cause))
        }
    }

    /** Starting a queued body. */
    companion object {
        /**
         * Queues [body] in [primitive] through [wait] (a shared lambda that suspends until it holds:
         * the primitive's `acquire` or `lock`), to be given back with [release]. Returns null,
         * starting nothing, when the caller's loop does not dispatch (an unconfined or immediate
         * dispatcher): resuming the next waiter where the last one releases would nest every body
         * in the one before, so such a caller waits in a coroutine instead.
         */
        fun <P, T, F : CompletableFuture<in T>> start(
            wait: suspend P.() -> Unit,
            primitive: P,
            release: Runnable,
            body: Supplier<out CompletionStage<T>?>,
            futureFor: Function<in Job, out F>,
        ): F? {
            val ambient = Ambient.currentOrGlobal()
            val home = ambient.home as? CoroutineDispatcher ?: return null
            if (!home.isDispatchNeeded(ambient.detachedContext)) return null
            val coroutine = Origin.detached().settlingCoroutine<T, F>(futureFor)
            val queued = QueuedBody(body, release, coroutine, ambient, home)
            val acquired = try {
                wait.startCoroutineUninterceptedOrReturn(primitive, queued)
            } catch (failure: Throwable) {
                coroutine.resumeWith(Result.failure(failure))
                return coroutine.future
            }
            if (acquired !== COROUTINE_SUSPENDED) queued.run()
            return coroutine.future
        }
    }
}
