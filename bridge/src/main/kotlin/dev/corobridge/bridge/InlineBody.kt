package dev.corobridge.bridge

import kotlinx.coroutines.CompletableJob
import kotlinx.coroutines.Job
import kotlin.coroutines.CoroutineContext

/**
 * A body that runs on the caller's thread without a coroutine of its own: the fast path of
 * `withPermit` and `withLock` when the permit or lock is free.
 *
 * A body with a coroutine owns the detached work it starts: that work is cancelled if the body
 * ends cancelled or failed (see [Origin.detached]). An inline body keeps the same rule without
 * paying for a coroutine: the first detached start inside it makes an owner job, linked to the
 * caller's own, and [finish] or [finishWith] settles that job once the body's outcome is known. A
 * body that starts no detached work (the common case) allocates nothing but this object.
 *
 * Use: [enter] right before calling the body, [leave] right after it returned or threw (in a
 * `finally`), then exactly one of [finish] or [finishWith].
 */
public class InlineBody private constructor(
    /** The state of the thread the body runs on. */
    private val thread: ThreadState,
    /** The library coroutine context the caller ran in when the body started (null on a plain thread). */
    private val caller: CoroutineContext?,
    /** The inline body this one runs inside of, restored by [leave]. */
    private val outer: InlineBody?,
) {
    private var owner: CompletableJob? = null

    /** Ends the body's run on this thread; detached work started from now on is no longer its. */
    public fun leave() {
        thread.inline = outer
    }

    /** Settles the owner after the body's stage completed: on [failed], its detached work is cancelled. */
    public fun finish(failed: Boolean) {
        val job = owner ?: return
        if (failed) job.cancel() else job.complete()
    }

    /** Settles the owner once [job], which took over the body's pending stage, completes. */
    public fun finishWith(job: Job) {
        val owner = owner ?: return
        job.invokeOnCompletion { cause -> if (cause == null) owner.complete() else owner.cancel() }
    }

    /** The owner of detached work started now, made on the first call. Only the body's own thread calls it. */
    private fun owner(): Job =
        owner ?: Job().also { job ->
            cancelWith(caller?.get(Job), job)
            owner = job
        }

    /** Entering a body, and finding the owner of detached work. */
    public companion object {
        /** Marks the start of an inline body on this thread. */
        @JvmStatic
        public fun enter(): InlineBody {
            val thread = Ambient.threadState()
            return InlineBody(thread, thread.context, thread.inline).also { thread.inline = it }
        }

        /**
         * The job that owns detached work started on this thread now: the inline body's owner while
         * one runs directly on this thread (no library coroutine started inside it is running), else
         * the job of the library coroutine running here, else null.
         */
        internal fun currentOwner(): Job? {
            val thread = Ambient.threadState()
            val context = thread.context
            val inline = thread.inline
            return if (inline != null && inline.caller === context) inline.owner() else context?.get(Job)
        }
    }
}
