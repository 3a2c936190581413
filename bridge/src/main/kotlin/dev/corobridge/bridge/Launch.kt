package dev.corobridge.bridge

import kotlinx.coroutines.AbstractCoroutine
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.job
import kotlinx.coroutines.newCoroutineContext
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.supervisorScope
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage
import java.util.concurrent.Executor
import java.util.function.Consumer
import java.util.function.Function
import java.util.function.Supplier
import kotlin.coroutines.Continuation
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/** A call of a Kotlin `suspend` function written from Java: it receives the continuation. */
public fun interface SuspendInvoker<T> {
    /** Calls the suspend function with [continuation]; returns its value or `COROUTINE_SUSPENDED`. */
    @Throws(Exception::class)
    public fun invoke(continuation: Continuation<T>): Any?
}

/**
 * Where a coroutine starts: a parent scope (or none) and extra context.
 *
 * [detached] places work like `CompletableFuture.supplyAsync` does, but on the running loop: the
 * dispatcher of the body that calls it, or `Dispatchers.Default` on a plain thread.
 */
public class Origin private constructor(
    private val scope: CoroutineScope,
    private val extra: CoroutineContext,
    private val executor: CoroutineDispatcher?,
    private val caller: Job?,
) {

    /** The same origin with its coroutine dispatched by [executor] instead. */
    public fun on(executor: Executor): Origin = Origin(scope, extra, executor.asCoroutineDispatcher(), caller)

    /**
     * Starts a coroutine that awaits the stage [body] returns, and settles the future that
     * [futureFor] makes for the coroutine's job (a task) with the coroutine's value, original
     * exception or cancellation as it ends.
     *
     * The coroutine settles the future itself, as kotlinx's own `future { }` builder does, rather
     * than through a completion handler on a `Deferred`: such a handler would share the job's list
     * with the entry a suspended await puts there, and a job that has had two entries at once ends
     * through kotlinx's slow completion path (a `Finishing` state and a lock). Profiling B5 showed
     * that path as the largest cost of a gathered task beyond native `async`.
     */
    public fun <T, F : CompletableFuture<in T>> stage(body: Supplier<out CompletionStage<T>?>, futureFor: Function<in Job, out F>): F =
        settling(CoroutineStart.DEFAULT, futureFor) { unpack(awaitSettled(toFuture(stageOf(body)))) }

    /**
     * Starts [block] from Kotlin glue elsewhere in the bridge, like [launch], in a coroutine that
     * settles the future [futureFor] makes for its job as it ends (see [stage] for why).
     */
    public fun <T, F : CompletableFuture<in T>> settling(
        start: CoroutineStart,
        futureFor: Function<in Job, out F>,
        block: suspend CoroutineScope.() -> T,
    ): F {
        val coroutine = settlingCoroutine<T, F>(futureFor)
        coroutine.start(start, coroutine, block)
        return coroutine.future
    }

    /**
     * A coroutine placed and linked as [settling] places its own, with its future made and set,
     * but not started: its owner runs what it does and ends it through `resumeWith` (see `QueuedBody`).
     */
    internal fun <T, F : CompletableFuture<in T>> settlingCoroutine(futureFor: Function<in Job, out F>): SettlingCoroutine<T, F> {
        @OptIn(ExperimentalCoroutinesApi::class) // newCoroutineContext: the context async gives its coroutine, built the same way
        val context = scope.newCoroutineContext(extra + (executor ?: EmptyCoroutineContext))
        val coroutine = SettlingCoroutine<T, F>(context)
        coroutine.future = futureFor.apply(coroutine)
        cancelWith(caller, coroutine)
        return coroutine
    }

    /**
     * Starts [block]; detached work started from inside a body is cancelled if that body's
     * coroutine ends cancelled or failed. A body that returns `sleep(d).thenApply(f)` owns only
     * the dependent stage, which cannot cancel the sleep; this link does, without anyone
     * waiting for the detached work.
     */
    private fun <T> start(context: CoroutineContext, block: suspend CoroutineScope.() -> T): Deferred<T> =
        start(context, CoroutineStart.DEFAULT, block)

    /**
     * Starts [block] from Kotlin glue elsewhere in the bridge (channels, calls), with the same
     * placement and ownership link as every other start.
     */
    public fun <T> launch(start: CoroutineStart, block: suspend CoroutineScope.() -> T): Deferred<T> =
        start(extra + (executor ?: EmptyCoroutineContext), start, block)

    private fun <T> start(context: CoroutineContext, start: CoroutineStart, block: suspend CoroutineScope.() -> T): Deferred<T> {
        val deferred = scope.async(context, start, block)
        cancelWith(caller, deferred)
        return deferred
    }

    /**
     * Starts a coroutine that runs [body] on a thread that may block: the executor given to [on],
     * else [BlockingDispatcher]. The coroutine starts there directly, with no hop through the
     * scope's dispatcher.
     */
    public fun <T> blocking(body: BlockingBody<T>): Deferred<T> {
        val ambient = extra[Ambient] ?: scope.coroutineContext[Ambient] ?: Ambient.GLOBAL
        return start(extra + (executor ?: BlockingDispatcher.INSTANCE) + ambient.blocking) {
            body.run(coroutineContext.job)
        }
    }

    /** Starts a coroutine that calls a Kotlin suspend function through [call]. */
    public fun <T> suspendCall(call: SuspendInvoker<T>): Deferred<T> =
        start(extra) { suspendCoroutineUninterceptedOrReturn { continuation -> call.invoke(continuation) } }

    /**
     * Starts a task group: the body's stage and every child it starts must complete; the first
     * failure cancels the rest and fails the group, later failures are added as suppressed.
     */
    public fun <T> group(body: Function<CoroutineScope, out CompletionStage<T>?>): Deferred<T> =
        start(extra) { awaitStage(stageOf { body.apply(this) }) }

    /** Starts a supervisor: like [group], but a child's failure stays on that child. */
    public fun <T> supervisor(body: Function<CoroutineScope, out CompletionStage<T>?>): Deferred<T> =
        start(extra) {
            // supervisorScope's own rethrow would pass through stack-trace recovery; carry the outcome out instead.
            val settled = supervisorScope {
                try {
                    awaitStage(stageOf { body.apply(this) })
                } catch (failure: Throwable) {
                    if (failure is CancellationException) throw failure
                    Failed(failure)
                }
            }
            @Suppress("UNCHECKED_CAST")
            if (settled is Failed) throw settled.cause else settled as T
        }

    /** Starts a coroutine that completes after [duration]. */
    public fun sleep(duration: java.time.Duration): Deferred<Void?> {
        val delay = duration.toKotlinDuration()
        return start(extra) {
            delay(delay)
            null
        }
    }

    /** Starts a coroutine that awaits [body]'s stage for at most [timeout], then cancels it. */
    public fun <T> timeout(timeout: java.time.Duration, body: Supplier<out CompletionStage<T>?>): Deferred<T> {
        val limit: Duration = timeout.toKotlinDuration()
        return start(extra) { awaitWithin(toFuture(stageOf(body)), limit, timeout) }
    }

    /** The factories. */
    public companion object {
        /** An origin that starts children of [scope]. */
        @JvmStatic
        public fun childOf(scope: CoroutineScope): Origin = Origin(scope, EmptyCoroutineContext, null, null)

        /**
         * An origin for detached work, on the running loop of the calling thread, and cancelled
         * with the calling body if that body ends cancelled or failed: a body run by a library
         * coroutine, or an [InlineBody] running directly on this thread.
         */
        @JvmStatic
        @OptIn(DelicateCoroutinesApi::class) // detached on purpose: these tasks are owned by whoever holds their future
        public fun detached(): Origin =
            Origin(GlobalScope, Ambient.currentOrGlobal().detachedContext, null, InlineBody.currentOwner())

        /**
         * An origin for work that a Java object owns rather than the body that happens to start
         * it (a generator's producer, started by whichever call first asks for an element; a
         * receive that the next caller may take over): on the running loop of the calling thread,
         * like [detached], but not cancelled with the calling body. The object ends the work itself.
         */
        @JvmStatic
        @OptIn(DelicateCoroutinesApi::class) // detached on purpose: the owning object ends this work
        public fun ofObject(): Origin = Origin(GlobalScope, Ambient.currentOrGlobal().detachedContext, null, null)
    }
}

/**
 * Whether [job] is still running, so that cancelling it can change how it ends: active, and not a
 * coroutine already settling its future with its outcome (a task whose coroutine completes it).
 */
public fun isRunning(job: Job): Boolean = job.isActive && !(job is SettlingCoroutine<*, *> && job.settled)

/** Cancels [job] if [owner] (when there is one, still running) ends cancelled or failed first; [owner] does not wait for it. */
internal fun cancelWith(owner: Job?, job: Job) {
    if (owner == null || !isRunning(owner)) return
    val link = owner.invokeOnCompletion { cause -> if (cause != null) job.cancel() }
    job.invokeOnCompletion { link.dispose() }
}

/**
 * Cancels [future] if the body running on this thread ends cancelled or failed before [future]
 * completes: a body run by a library coroutine, or an [InlineBody] (see [Origin.detached]). For a
 * future whose cancellation hands what it waits for to someone else, which a body that is gone
 * can no longer use.
 *
 * It is cancelled as soon as the body's cancellation starts, on the thread that cancels: by the
 * time that `cancel` returns, and so before anyone joining the body resumes. A handler on the
 * body's completion would run only after kotlinx has published the final state, which a join can
 * see first, so that the joiner's next call could miss what was handed over.
 */
@OptIn(InternalCoroutinesApi::class) // onCancelling = true: see above
public fun cancelWithCallingBody(future: CompletableFuture<*>) {
    val owner = InlineBody.currentOwner()
    if (owner == null || !isRunning(owner)) return
    val link = owner.invokeOnCompletion(onCancelling = true, invokeImmediately = true) { cause ->
        if (cause != null) future.cancel(false)
    }
    future.whenComplete { _, _ -> link.dispose() }
}

/** Starts a scope for a long-lived Java object: children on `Dispatchers.Default`, no parent. */
public fun openScope(supervisor: Boolean): CoroutineScope {
    val job = if (supervisor) SupervisorJob() else Job()
    return CoroutineScope(job + Ambient.GLOBAL.home + Ambient.GLOBAL)
}

/** Adds the library's ambient element to a Kotlin scope so bodies started in it know their loop. */
public fun adoptScope(scope: CoroutineScope): CoroutineScope =
    if (scope.coroutineContext[Ambient] != null) scope else CoroutineScope(scope.coroutineContext + Ambient.of(scope.coroutineContext))

/**
 * Runs [body] on the calling thread as a single-threaded event loop (asyncio's `run`); see
 * [runAsLoop] for what it waits for.
 *
 * Interrupting the calling thread cancels everything; once it has all finished, this throws
 * [InterruptedException] (runBlocking cancels with it as the cause and keeps the loop running
 * until the cancellation is complete).
 */
@Throws(Exception::class)
public fun <T> runLoop(body: Function<CoroutineScope, out CompletionStage<T>?>): T {
    val ambient = Ambient.forLoop()
    return runBlocking(ambient) { runAsLoop(ambient, body) }
}

/**
 * Runs [body] as the root of the loop this coroutine drives (runBlocking's, or a virtual-time
 * test's): binds [ambient] to the loop, awaits the body's stage and then every child, and at the
 * end cancels and awaits the detached work started inside, as asyncio's `run` does with the
 * loop's leftover tasks. The coroutine's context must already contain [ambient].
 */
public suspend fun <T> CoroutineScope.runAsLoop(ambient: Ambient, body: Function<CoroutineScope, out CompletionStage<T>?>): T {
    val loop = coroutineContext.job
    val detached = SupervisorJob(loop)
    ambient.bind(coroutineContext[ContinuationInterceptor]!!, detached)
    val value = awaitStage(stageOf { body.apply(this) })
    while (true) {
        val children = loop.children.filter { it !== detached }.toList()
        if (children.isEmpty()) break
        children.joinAll()
    }
    detached.cancel()
    return value
}

/**
 * A coroutine that settles a Java future as it ends: with its value, or with its original exception
 * or cancellation. The future is set once, before the coroutine starts; the coroutine can only end
 * after it has run, so every ending sees it.
 */
@OptIn(InternalCoroutinesApi::class) // AbstractCoroutine: the base kotlinx's own future { } builder settles its future from
internal class SettlingCoroutine<T, F : CompletableFuture<in T>>(context: CoroutineContext) :
    AbstractCoroutine<T>(context, initParentJob = true, active = true) {
    /** The future it settles, set once as it is made, before it can end. */
    lateinit var future: F

    /**
     * Set as the outcome is decided, just before the future is settled. kotlinx still reports the
     * job active at that point when it ends through its slow path; from here on nothing can change
     * how it ends, so there is nothing to cancel (see [isRunning]).
     */
    @Volatile
    var settled = false
        private set

    override fun onCompleted(value: T) {
        settled = true
        future.complete(value)
    }

    override fun onCancelled(cause: Throwable, handled: Boolean) {
        settled = true
        future.completeExceptionally(cause)
    }
}

/** Completes [future] with the outcome of [deferred]: its value, original exception, or cancellation. */
@OptIn(ExperimentalCoroutinesApi::class) // getCompleted: read only once the deferred has completed
public fun <T> completeFrom(deferred: Deferred<T>, future: CompletableFuture<in T>) {
    deferred.invokeOnCompletion { cause ->
        if (cause == null) future.complete(deferred.getCompleted()) else future.completeExceptionally(cause)
    }
}

/**
 * Where a coroutine's body puts a value that must not be lost (an element taken from a channel)
 * the moment it has it, before returning it.
 *
 * kotlinx ends a coroutine that was cancelled while its body ran as cancelled, even when the body
 * then returns normally, and drops the returned value. A receive whose caller cancels its future
 * just after the element reached the coroutine, and before the body returned, would lose the
 * element that way; the kept copy lets [completeFrom] hand it over all the same.
 */
public class Kept<T : Any> {
    @Volatile
    private var value: T? = null

    /** Keeps [value] and returns it; called by the body as its last step. */
    public fun keep(value: T): T {
        this.value = value
        return value
    }

    internal fun get(): T? = value
}

/**
 * Like [completeFrom], for a value that must not be lost: the value goes to [orphaned] if it
 * cannot complete [future], either because [future] was already completed otherwise (its caller
 * cancelled it) when the value arrived, or because the coroutine was cancelled after its body had
 * put the value in [kept] (the coroutine, and so [future], then end cancelled).
 *
 * Completes [handedOver] once that is over; wait for it, not for [whenFinished], to know that the
 * value has reached [future] or [orphaned]. kotlinx marks a job completed before it runs the job's
 * completion handlers, so a handler added later (as [whenFinished] adds one) may run first, on
 * another thread, while the value is still on its way to [orphaned].
 */
@OptIn(ExperimentalCoroutinesApi::class) // getCompleted: read only once the deferred has completed
public fun <T : Any> completeFrom(
    deferred: Deferred<T>,
    kept: Kept<T>,
    future: CompletableFuture<in T>,
    orphaned: Consumer<in T>,
    handedOver: CompletableFuture<Void?>,
) {
    deferred.invokeOnCompletion { cause ->
        try {
            if (cause == null) {
                val value = deferred.getCompleted()
                if (!future.complete(value)) orphaned.accept(value)
            } else {
                future.completeExceptionally(cause)
                kept.get()?.let { orphaned.accept(it) }
            }
        } finally {
            handedOver.complete(null)
        }
    }
}

/** Completes [future] with null or the failure once [job] has completed. */
public fun completeFrom(job: Job, future: CompletableFuture<Void?>) {
    job.invokeOnCompletion { cause -> if (cause == null) future.complete(null) else future.completeExceptionally(cause) }
}

/** A future that completes once [job] has fully completed (its `finally` blocks ran), whatever the outcome. */
public fun whenFinished(job: Job): CompletableFuture<Void?> {
    val finished = CompletableFuture<Void?>()
    job.invokeOnCompletion { finished.complete(null) }
    return finished
}

/** A future that completes once every child of [job] that exists now, and each of theirs, has finished. */
@OptIn(DelicateCoroutinesApi::class) // a watcher with no parent, so that it never holds the scope open
public fun whenChildrenFinished(job: Job): CompletableFuture<Void?> {
    val finished = CompletableFuture<Void?>()
    GlobalScope.launch(Dispatchers.Unconfined) {
        while (true) {
            val children = job.children.toList()
            if (children.isEmpty()) break
            children.joinAll()
        }
        finished.complete(null)
    }
    return finished
}

/** The stage [body] returns; a null return fails with a message that says what went wrong. */
public fun <T> stageOf(body: Supplier<out CompletionStage<T>?>): CompletionStage<T> =
    body.get() ?: throw NullPointerException("the body returned null instead of a CompletionStage")
