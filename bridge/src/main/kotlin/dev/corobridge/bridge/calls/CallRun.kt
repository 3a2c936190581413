package dev.corobridge.bridge.calls

import dev.corobridge.bridge.Ambient
import dev.corobridge.bridge.awaitStage
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.produce
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.isActive
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Semaphore
import java.util.Collections
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletionStage
import java.util.concurrent.atomic.AtomicReference
import java.util.function.BiFunction
import java.util.function.Function
import java.util.function.Supplier

/** How a call of a plan ended, as told to a [CallObserver]. */
public enum class CallEnd {
    /** The call produced a value. */
    SUCCEEDED,

    /** The call failed, after its retries. */
    FAILED,

    /** The call was cancelled because the plan stopped. */
    CANCELLED,
}

/** Watches a plan run; every method may be called from any thread, concurrently. */
public interface CallObserver {
    /** A call is about to start. */
    public fun started()

    /** A call has ended. */
    public fun ended(end: CallEnd)

    /** The inputs have run out after [count] of them. */
    public fun exhausted(count: Long)

    /** The run is over (for any reason), and no call will end any more. */
    public fun finished()
}

/**
 * One run of a plan of many calls: pulls [inputs] one at a time, only when one of [concurrency]
 * slots is free, waits for [limiter] before each start, and awaits each call (through [retry] if
 * given) in a coroutine of its own.
 *
 * A slot is taken before an input is pulled and given back when its call has ended and its result
 * has been handed on, so at most [concurrency] inputs are held at once. The inputs are pulled by
 * one coroutine (the feeder), never concurrently. The calls are children of the feeder: stopping
 * the plan cancels the feeder, and with it every call in flight, and no input is pulled after.
 */
public class CallRun<I, O>(
    private val inputs: Iterator<I>,
    private val concurrency: Int,
    private val limiter: RateWindow?,
    private val retry: RetryRules?,
    private val call: Function<in I, out CompletionStage<O>?>,
    private val observer: CallObserver,
) {
    private val firstFailure = AtomicReference<Throwable?>()

    /** Runs every call; returns the values in input order (unmodifiable), or throws the first failure. */
    public suspend fun inOrder(): MutableList<O> {
        val values = ArrayList<Any?>()
        run(
            reserve = { synchronized(values) { values.add(null) } },
            deliver = { index, value -> synchronized(values) { values[index.toInt()] = value } },
            failed = { _, _ -> false },
        )
        @Suppress("UNCHECKED_CAST") // every slot now holds the value of its call
        return Collections.unmodifiableList(synchronized(values) { values as MutableList<O> })
    }

    /** Runs every call; returns each one's outcome, built by [outcome] from the value or the failure, in input order (unmodifiable). */
    public suspend fun <R> settled(outcome: BiFunction<in O?, in Throwable?, out R>): MutableList<R> {
        val outcomes = ArrayList<R?>()
        run(
            reserve = { synchronized(outcomes) { outcomes.add(null) } },
            deliver = { index, value -> outcome.apply(value, null).let { synchronized(outcomes) { outcomes[index.toInt()] = it } } },
            failed = { index, failure -> outcome.apply(null, failure).let { synchronized(outcomes) { outcomes[index.toInt()] = it } }; true },
        )
        @Suppress("UNCHECKED_CAST") // every slot now holds the outcome of its call
        return Collections.unmodifiableList(synchronized(outcomes) { outcomes as MutableList<R> })
    }

    /**
     * Starts the run on the caller's running loop and returns a channel of the values in completion
     * order. A value waits in its call's slot until the consumer takes it (back-pressure). The first
     * failure closes the channel with it after the values before it; cancelling the channel cancels
     * the run.
     */
    @OptIn(
        DelicateCoroutinesApi::class, // detached on purpose: the channel's consumer owns the run and cancels it
        ExperimentalCoroutinesApi::class, // produce: cancelling its channel cancels the producer, which is what closing a generator needs
    )
    public fun unordered(): ReceiveChannel<O> =
        GlobalScope.produce(Ambient.currentOrGlobal().detachedContext) {
            try {
                run(
                    reserve = {},
                    deliver = { _, value -> send(value ?: throw NullPointerException("a call completed with null; mapUnordered carries no nulls")) },
                    failed = { _, _ -> false },
                )
                channel.close()
            } catch (failure: Throwable) {
                if (failure is CancellationException) throw failure
                channel.close(failure)
            }
        }

    /**
     * The loop shared by every mode. [reserve] runs in the feeder as an input is pulled, [deliver]
     * in the call's coroutine with its value, [failed] with its failure: true to carry on (settled),
     * false to stop the plan with it (fail fast).
     */
    private suspend fun run(
        reserve: () -> Unit,
        deliver: suspend (index: Long, value: O) -> Unit,
        failed: (index: Long, failure: Throwable) -> Boolean,
    ) {
        try {
            runCalls(reserve, deliver, failed)
        } finally {
            observer.finished()
        }
        firstFailure.get()?.let { throw it }
    }

    private suspend fun runCalls(
        reserve: () -> Unit,
        deliver: suspend (index: Long, value: O) -> Unit,
        failed: (index: Long, failure: Throwable) -> Boolean,
    ) {
        coroutineScope {
            val slots = Semaphore(concurrency)
            launch {
                val feeder = coroutineContext.job
                try {
                    feed(slots, reserve) { index, input ->
                        launch(start = CoroutineStart.UNDISPATCHED) {
                            try {
                                callAndDeliver(feeder, index, input, deliver, failed)
                            } finally {
                                slots.release()
                            }
                        }
                    }
                } catch (failure: Throwable) {
                    if (!isActive) throw failure
                    stop(feeder, failure)
                }
            }
        }
    }

    private suspend fun CoroutineScope.feed(slots: Semaphore, reserve: () -> Unit, start: (Long, I) -> Unit) {
        var index = 0L
        while (true) {
            coroutineContext.ensureActive() // calls that complete at once never suspend this loop
            slots.acquire()
            if (!inputs.hasNext()) break
            val input = inputs.next()
            reserve()
            limiter?.acquire()
            observer.started()
            start(index++, input)
        }
        observer.exhausted(index)
    }

    /** One call, in its own coroutine: its value goes to [deliver], its failure to [failed]. */
    private suspend fun CoroutineScope.callAndDeliver(
        feeder: Job,
        index: Long,
        input: I,
        deliver: suspend (index: Long, value: O) -> Unit,
        failed: (index: Long, failure: Throwable) -> Boolean,
    ) {
        val value = try {
            attempt(input)
        } catch (failure: Throwable) {
            if (!isActive) {
                observer.ended(CallEnd.CANCELLED)
                throw failure
            }
            observer.ended(CallEnd.FAILED)
            if (!failed(index, failure)) stop(feeder, failure)
            return
        }
        observer.ended(CallEnd.SUCCEEDED)
        try {
            deliver(index, value)
        } catch (failure: Throwable) {
            if (!isActive) throw failure
            stop(feeder, failure)
        }
    }

    private suspend fun attempt(input: I): O {
        val once = Supplier<CompletionStage<O>?> { call.apply(input) }
        return if (retry == null) awaitStage(stageOf(once)) else retrying(retry, once)
    }

    private fun stageOf(body: Supplier<CompletionStage<O>?>): CompletionStage<O> =
        body.get() ?: throw NullPointerException("the function returned null instead of a CompletionStage")

    /** Records the plan's failure, the first one only, and cancels the feeder and every call in flight. */
    private fun stop(feeder: Job, failure: Throwable) {
        if (firstFailure.compareAndSet(null, failure)) feeder.cancel()
    }
}
