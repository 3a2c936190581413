@file:JvmName("ChannelOps")

package dev.corobridge.bridge.channels

import dev.corobridge.bridge.Kept
import dev.corobridge.bridge.Origin
import dev.corobridge.bridge.awaitStage
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.async
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.util.Optional
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicBoolean
import java.util.function.BooleanSupplier
import java.util.function.Consumer
import java.util.function.Function
import java.util.function.Supplier
import kotlin.time.Duration.Companion.nanoseconds

/*
 * The channel operations the Java facade needs, without Kotlin's inline `ChannelResult` or any
 * suspend function in their signatures.
 *
 * Each operation has a fast path that completes without starting a coroutine when the channel can
 * act at once, and a slow path that suspends in a coroutine on the caller's running loop, started
 * undispatched so that it reaches the channel before the call returns (FIFO order among callers of
 * one thread is kept). Close causes are read from `*Catching`/`try*` results, never from a thrown
 * exception, because kotlinx's stack-trace recovery may replace a thrown cause with a copy.
 *
 * `closed` maps a close cause (null for a plain close) to the exception a Java caller sees.
 *
 * [sendBlocking], [put], [nextBlocking], [take], [nextSpinning] and [spinUntil] are for threads
 * that may block (blocking bodies, plain threads). Each retries for a moment, since the other
 * side, running on another core, usually acts within a microsecond. Then the first four wait in
 * `runBlocking` on the calling thread, so that the other side wakes that thread directly, with no
 * coroutine, future or hop through a dispatcher in between; the last two leave the wait to the caller.
 */

/**
 * How long the operations for threads that may block retry before their thread parks. When the
 * other side is running on another core it usually acts within a microsecond, far sooner than a
 * park and the other side's unpark would let this thread go on; with one core, waiting only delays
 * the other side.
 */
private val SPIN_NANOS: Long = if (Runtime.getRuntime().availableProcessors() > 1) 20_000L else 0L

/**
 * How long [spinAfterWakingUntil] retries: long enough for a thread just unparked to be running
 * again (a virtual thread's carrier may have to be woken first, which on a busy machine takes
 * longer than [SPIN_NANOS]); zero with one core.
 */
private val WOKEN_SPIN_NANOS: Long = if (Runtime.getRuntime().availableProcessors() > 1) 200_000L else 0L

/**
 * Tries [attempt] until it gives a value or the spin of [nanos] ends; null then, also as soon as
 * the thread is interrupted.
 */
private inline fun <R : Any> spin(nanos: Long = SPIN_NANOS, attempt: () -> R?): R? {
    attempt()?.let { return it }
    val deadline = System.nanoTime() + nanos
    while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted) {
        Thread.onSpinWait()
        attempt()?.let { return it }
    }
    return null
}

/**
 * Retries [attempt] until it succeeds or the spin ends (see [SPIN_NANOS]), for a thread that would
 * otherwise park; whether it succeeded. An interrupt ends the spin.
 */
public fun spinUntil(attempt: BooleanSupplier): Boolean = spin { if (attempt.asBoolean) true else null } ?: false

/**
 * [spinUntil] for a thread that has just unparked the thread it now waits for: it retries for up
 * to 200 µs (see [WOKEN_SPIN_NANOS]), since parking before the other thread runs again would only
 * make the two take turns at being woken, each paying for it, where both could go on.
 */
public fun spinAfterWakingUntil(attempt: BooleanSupplier): Boolean =
    spin(WOKEN_SPIN_NANOS) { if (attempt.asBoolean) true else null } ?: false

/**
 * Runs [action] once [nanos] nanoseconds of real time have passed, whatever clock the caller's loop
 * keeps (a virtual clock would run it at once, and again and again while the program idles): on
 * kotlinx's timer thread, so [action] must be short and must not block. Cancelling the returned job
 * drops it, on the cancelling thread; neither takes a dispatcher's thread.
 */
@OptIn(DelicateCoroutinesApi::class) // a timer of its own, owned by no scope: the caller cancels it
public fun afterRealTime(nanos: Long, action: Runnable): Job =
    GlobalScope.launch(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) {
        delay(nanos.nanoseconds)
        action.run()
    }

/** Creates a channel of [capacity] (a `Channel` constant or a size) that hands lost elements to [onUndelivered]. */
public fun <E> newChannel(capacity: Int, onUndelivered: Consumer<in E>?): Channel<E> =
    if (onUndelivered == null) Channel(capacity) else Channel(capacity, onUndeliveredElement = onUndelivered::accept)

/** Sends [element] if the channel can take it now; false if it is full or closed (the caller keeps it). */
public fun <E> trySend(channel: SendChannel<E>, element: E): Boolean = channel.trySend(element).isSuccess

/**
 * Sends [element] in a coroutine that suspends until the channel takes it. Cancelling the coroutine
 * before that leaves the element undelivered (kotlinx's prompt cancellation guarantee) and hands it
 * to the channel's undelivered-element handler.
 */
public fun <E> sendAsync(channel: SendChannel<E>, element: E, closed: Function<Throwable?, Throwable>): Deferred<Void?> =
    Origin.detached().launch(CoroutineStart.UNDISPATCHED) {
        try {
            channel.send(element)
        } catch (failure: Throwable) {
            currentCoroutineContext().ensureActive() // our own cancellation, not the channel's closing
            throw closed.apply(closeCause(channel.trySend(element).exceptionOrNull()))
        }
        null
    }

/** A future of the next element if one can be had now, failed with `closed` if the channel is drained and closed; else null. */
public fun <E> receiveNow(channel: ReceiveChannel<E>, closed: Function<Throwable?, Throwable>): CompletableFuture<E>? {
    val result = channel.tryReceive()
    return when {
        result.isSuccess -> CompletableFuture.completedFuture(result.getOrThrow())
        result.isClosed -> CompletableFuture.failedFuture(closed.apply(closeCause(result.exceptionOrNull())))
        else -> null
    }
}

/**
 * Receives the next element in a coroutine that suspends until there is one; fails with `closed`
 * once drained and closed. The element is put in [kept] as soon as it is taken (see `completeFrom`).
 */
public fun <E : Any> receiveAsync(channel: ReceiveChannel<E>, closed: Function<Throwable?, Throwable>, kept: Kept<E>): Deferred<E> =
    Origin.detached().launch(CoroutineStart.UNDISPATCHED) {
        val result = channel.receiveCatching()
        if (result.isClosed) throw closed.apply(closeCause(result.exceptionOrNull()))
        kept.keep(result.getOrThrow())
    }

/**
 * Like [receiveNow], for iteration: the end of a channel closed plainly or cancelled is an empty
 * optional; a channel closed with a cause fails with that cause.
 */
public fun <E : Any> nextNow(channel: ReceiveChannel<E>): CompletableFuture<Optional<E>>? {
    val result = channel.tryReceive()
    return when {
        result.isSuccess -> CompletableFuture.completedFuture(Optional.of(result.getOrThrow()))
        result.isClosed -> endOf(result.exceptionOrNull())?.let { CompletableFuture.failedFuture(it) }
            ?: CompletableFuture.completedFuture(Optional.empty())
        else -> null
    }
}

/**
 * Like [receiveAsync], for iteration; see [nextNow]. A taken element is put in [kept] if given.
 * The receive starts from [origin]: by default it is the calling body's, and cancelled with it.
 */
@JvmOverloads
public fun <E : Any> nextAsync(
    channel: ReceiveChannel<E>,
    kept: Kept<Optional<E>>? = null,
    origin: Origin = Origin.detached(),
): Deferred<Optional<E>> =
    origin.launch(CoroutineStart.UNDISPATCHED) {
        val result = channel.receiveCatching()
        if (result.isClosed) {
            endOf(result.exceptionOrNull())?.let { throw it }
            Optional.empty()
        } else {
            val element = Optional.of(result.getOrThrow())
            kept?.keep(element) ?: element
        }
    }

/**
 * Sends [element], blocking the calling thread until the channel takes it: at once if it can, else
 * after the spin, else parked. True once sent; false if the channel is closed (kotlinx then hands
 * the element to the undelivered-element handler). An interrupt while parked cancels the send and
 * throws [InterruptedException] (the flag cleared): the element then goes to the handler, unless a
 * receiver had taken it at that very moment.
 *
 * A channel with a buffer is retried with `trySend` during the spin, which allocates nothing. A
 * channel that may have none ([rendezvous]) takes an element only from a sender waiting in its
 * queue, or hands it to a receiver waiting in its own: a `trySend` spinning against a consumer that
 * spins on `tryReceive` would never meet it, so the send goes to the queue at once (see [sendQueued]).
 */
@Throws(InterruptedException::class)
@JvmOverloads
public fun <E> sendBlocking(channel: SendChannel<E>, element: E, rendezvous: Boolean = false): Boolean {
    if (rendezvous) {
        return channel.trySend(element).isSuccess || sendQueued(channel, element, spinning = true)
    }
    val sent = spin {
        val result = channel.trySend(element)
        if (result.isSuccess || result.isClosed) result.isSuccess else null
    }
    // Closed, the queued send fails at once and hands the element to the undelivered-element handler.
    return sent == true || sendQueued(channel, element, spinning = false)
}

/**
 * The send of [sendBlocking] that waits: a coroutine suspended in the channel's queue of senders.
 * It is unconfined, so that the receiver that takes the element ends it on its own thread, where
 * this thread, if [spinning] (see [SPIN_NANOS]), sees it done without being woken; else, or after
 * the spin, this thread parks until it is done.
 */
@Throws(InterruptedException::class)
// Delicate: the send is owned by this call, which waits for it or cancels it; experimental: getCompleted.
@OptIn(DelicateCoroutinesApi::class, ExperimentalCoroutinesApi::class)
private fun <E> sendQueued(channel: SendChannel<E>, element: E, spinning: Boolean): Boolean {
    val send = GlobalScope.async(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) {
        try {
            channel.send(element)
            true
        } catch (closed: Throwable) {
            ensureActive() // our own cancellation, not the channel's closing
            false
        }
    }
    val settled = if (spinning) spinUntil { send.isCompleted } else send.isCompleted
    if (!settled) {
        try {
            runBlocking { send.join() }
        } catch (interrupted: InterruptedException) {
            send.cancel() // kotlinx hands the element to the handler, unless a receiver took it already
            throw interrupted
        }
    }
    return send.getCompleted()
}

/**
 * Sends [element] as [sendBlocking] does, for `AsyncChannel.put`: a closed channel throws what
 * [closed] makes of its close cause (null for a plain close), after kotlinx has handed the element
 * to the undelivered-element handler.
 */
@Throws(InterruptedException::class)
public fun <E> put(channel: SendChannel<E>, element: E, rendezvous: Boolean, closed: Function<Throwable?, Throwable>) {
    if (!sendBlocking(channel, element, rendezvous)) {
        // Once closed for sending, a channel stays so: this trySend reads the cause and takes nothing.
        throw closed.apply(closeCause(channel.trySend(element).exceptionOrNull()))
    }
}

/**
 * The next element if one is there or arrives while the calling thread spins (see [SPIN_NANOS]),
 * for a consumer that may block and would otherwise wait its own way: an empty optional once the
 * channel is drained and closed plainly or cancelled; a channel closed with a cause throws that
 * original cause. Null if nothing came, also as soon as the thread is interrupted. Nothing is
 * left half-taken: each try either takes an element or not.
 */
public fun <E : Any> nextSpinning(channel: ReceiveChannel<E>): Optional<E>? = receiveSpinning(channel)?.let(::nextOf)

/**
 * The next element for [AsyncChannel]'s iterator, a consumer that may block: as [nextSpinning]
 * gives it, else once one comes (see [receiveBlocking]). Ends as [nextSpinning] does. An interrupt
 * throws [InterruptedException]; see [receiveBlocking] for the element.
 */
@Throws(InterruptedException::class)
public fun <E : Any> nextBlocking(channel: ReceiveChannel<E>): Optional<E> = nextOf(receiveBlocking(channel))

/**
 * The next element, for `AsyncChannel.take`: as [nextBlocking] waits for it, but a channel closed
 * and drained (or cancelled) throws what [closed] makes of its close cause (null for a plain close).
 */
@Throws(InterruptedException::class)
public fun <E : Any> take(channel: ReceiveChannel<E>, closed: Function<Throwable?, Throwable>): E {
    val result = receiveBlocking(channel)
    if (result.isClosed) throw closed.apply(closeCause(result.exceptionOrNull()))
    return result.getOrThrow()
}

/**
 * Receives on a thread that may block: an element there or arriving during the spin (see
 * [SPIN_NANOS]) is taken with `tryReceive`; after that the thread waits in `runBlocking`, so that
 * the sender that hands the element over wakes it directly, with no coroutine dispatched to another
 * thread and no future in between. A closed result leaves as a value: a close cause thrown through
 * `runBlocking` could come out as a copy. An interrupt while waiting cancels the receive and throws
 * [InterruptedException] (the flag cleared); an element the receive had taken at that moment goes
 * to the channel's undelivered-element handler (kotlinx's prompt cancellation).
 */
@Throws(InterruptedException::class)
private fun <E : Any> receiveBlocking(channel: ReceiveChannel<E>): ChannelResult<E> =
    receiveSpinning(channel) ?: runBlocking { channel.receiveCatching() }

/** An element taken, or the channel's end, if either comes during the spin; else null. */
private fun <E : Any> receiveSpinning(channel: ReceiveChannel<E>): ChannelResult<E>? =
    spin { channel.tryReceive().takeIf { it.isSuccess || it.isClosed } }

/** An iteration's next element from a receive that took one or found the end (see [endOf]). */
private fun <E : Any> nextOf(result: ChannelResult<E>): Optional<E> = when {
    result.isClosed -> endOf(result.exceptionOrNull())?.let { throw it } ?: Optional.empty()
    else -> Optional.of(result.getOrThrow())
}

/** The next element if there is one now, else null (also when closed). */
public fun <E : Any> tryReceive(channel: ReceiveChannel<E>): E? = channel.tryReceive().getOrNull()

/** Closes [channel] for sending; receivers drain it, then see the end (or [cause]). */
public fun close(channel: SendChannel<*>, cause: Throwable?): Boolean = channel.close(cause)

/** Cancels [channel]: it is closed both ways and its remaining elements go to the undelivered-element handler. */
public fun cancel(channel: ReceiveChannel<*>) {
    channel.cancel(null)
}

/** Whether sending to [channel] would fail because it is closed. */
@OptIn(DelicateCoroutinesApi::class) // a snapshot, documented as such on the Java side
public fun isClosedForSend(channel: SendChannel<*>): Boolean = channel.isClosedForSend

/** Whether [channel] is closed and drained. */
@OptIn(DelicateCoroutinesApi::class) // a snapshot, documented as such on the Java side
public fun isClosedForReceive(channel: ReceiveChannel<*>): Boolean = channel.isClosedForReceive

/**
 * Starts collecting [flow] into [channel] on the caller's running loop, then closes the channel, or
 * closes it with the flow's original exception. Cancelling the job stops the collection; the
 * calling body ending does not (the collection is the generator's, see [Origin.ofObject]).
 */
public fun <E> collectInto(flow: Flow<E>, channel: SendChannel<E>): Job =
    Origin.ofObject().launch(CoroutineStart.DEFAULT) {
        try {
            flow.collect { channel.send(it) }
            channel.close()
        } catch (failure: Throwable) {
            channel.close(failure)
            if (failure is CancellationException) throw failure
        }
    }

/**
 * A cold flow that emits, once, what the futures [next] gives complete with, until one completes
 * with an empty optional (the end) or fails (the flow then throws that original exception), and
 * runs [finish] when collection ends for any reason (the end, a failure or the collector's
 * cancellation, which cancels the future awaited). A second collection fails with
 * [IllegalStateException], as for kotlinx's `consumeAsFlow`.
 */
public fun <E : Any> flowOf(next: Supplier<out CompletableFuture<Optional<E>>>, finish: Runnable): Flow<E> {
    val collected = AtomicBoolean()
    return flow {
        check(collected.compareAndSet(false, true)) { "this generator's flow can be collected only once" }
        try {
            while (true) {
                val element = awaitStage(next.get())
                if (element.isEmpty) break
                emit(element.get())
            }
        } finally {
            finish.run()
        }
    }
}

/** The user's close cause, or null when the channel was closed plainly (kotlinx reports that with its own exception). */
private fun closeCause(failure: Throwable?): Throwable? =
    if (failure is ClosedSendChannelException || failure is ClosedReceiveChannelException) null else failure

/** The exception ending an iteration, or null for a plain end (closed without a cause, or cancelled). */
private fun endOf(failure: Throwable?): Throwable? = closeCause(failure)?.takeUnless { it is CancellationException }
