@file:JvmName("NativeKotlinx")

package dev.corobridge.benchmarks.peers

import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.future.await
import kotlinx.coroutines.future.future
import kotlinx.coroutines.launch
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.sync.withPermit
import java.util.concurrent.CompletableFuture
import java.util.function.IntFunction

/*
 * The native-kotlinx peers: the same work written the way a Kotlin user writes it, run from the
 * benchmark thread on Dispatchers.Default, exactly as the corobridge side runs there.
 */

/** B5: n children that each return at once, awaited together (coroutineScope + awaitAll). */
fun awaitAllCompleted(n: Int): Int = runBlocking(Dispatchers.Default) {
    coroutineScope { List(n) { i -> async { i } }.awaitAll().size }
}

/** B5: n children that each await a future completed from outside after all have started. */
fun awaitAllPending(futures: List<CompletableFuture<Int>>, complete: Runnable): Int = runBlocking(Dispatchers.Default) {
    coroutineScope {
        val children = futures.map { future -> async { future.await() } }
        complete.run()
        children.awaitAll().size
    }
}

/** B4: a producer coroutine sends 0 until n over a channel of [capacity]; the consumer sums. */
fun channelSum(n: Int, capacity: Int): Long = runBlocking(Dispatchers.Default) {
    val channel = Channel<Int>(capacity)
    launch {
        repeat(n) { channel.send(it) }
        channel.close()
    }
    var sum = 0L
    for (element in channel) sum += element
    sum
}

/**
 * B4 with a slower producer: as [channelSum], but the producer [work]s for [workNanos] before each
 * element, so that the consumer waits for every one.
 */
fun slowChannelSum(n: Int, capacity: Int, workNanos: Long): Long = runBlocking(Dispatchers.Default) {
    val channel = Channel<Int>(capacity)
    launch {
        repeat(n) {
            work(workNanos)
            channel.send(it)
        }
        channel.close()
    }
    var sum = 0L
    for (element in channel) sum += element
    sum
}

/**
 * Keeps this thread's core busy for [nanos]: the work of making one element (a parse, a
 * computation) in the slower-producer benchmark, the same for every peer.
 */
fun work(nanos: Long) {
    val until = System.nanoTime() + nanos
    while (System.nanoTime() - until < 0) Thread.onSpinWait()
}

/** B7: a suspend function that returns without suspending. */
suspend fun plusOne(x: Int): Int = x + 1

/** B7: what a Kotlin library exposes to Java without corobridge: future { } around the call. */
@OptIn(DelicateCoroutinesApi::class) // the benchmark measures exactly this detached pattern
fun plusOneFuture(x: Int): CompletableFuture<Int> = GlobalScope.future(Dispatchers.Default, CoroutineStart.DEFAULT) { plusOne(x) }

/** B7: a suspend source of values, as a Kotlin interface that Java may implement. */
interface ValueSource {
    suspend fun value(): Int
}

/** B7: the Kotlin implementation, with kotlinx's own CompletionStage.await. */
class KotlinValueSource(private val future: () -> CompletableFuture<Int>) : ValueSource {
    override suspend fun value(): Int = future().await()
}

/** B7: calls [source] [times] times from one coroutine on Dispatchers.Default. */
fun sumFrom(source: ValueSource, times: Int): Long = runBlocking(Dispatchers.Default) {
    var sum = 0L
    repeat(times) { sum += source.value() }
    sum
}

/** B1: [calls] calls of [io], at most [inFlight] at once: Semaphore + async + awaitAll, as kotlinx users write it. */
fun manyCalls(calls: Int, inFlight: Int, io: IntFunction<CompletableFuture<Int>>): Int = runBlocking(Dispatchers.Default) {
    val slots = Semaphore(inFlight)
    List(calls) { i -> async { slots.withPermit { io.apply(i).await() } } }.awaitAll().size
}

/** B6: starts [count] coroutines that each wait in delay for an hour; returns a way to cancel them all. */
@OptIn(DelicateCoroutinesApi::class) // a footprint measurement: parked, detached coroutines are the point
fun parkDelays(count: Int): Runnable {
    val jobs = List(count) { GlobalScope.launch(Dispatchers.Default) { delay(3_600_000) } }
    return Runnable { jobs.forEach { it.cancel() } }
}

/** B2/B3: [tasks] coroutines each taking a kotlinx [Semaphore] of [permits] (1 = a mutex's job) [times] times around a counter increment. */
fun contendedPermits(tasks: Int, times: Int, permits: Int): Long = runBlocking(Dispatchers.Default) {
    val slots = Semaphore(permits)
    val counter = java.util.concurrent.atomic.AtomicLong()
    coroutineScope { repeat(tasks) { launch { repeat(times) { slots.withPermit { counter.incrementAndGet() } } } } }
    counter.get()
}

/** B3: the same with a kotlinx Mutex. */
fun contendedMutex(tasks: Int, times: Int): Long = runBlocking(Dispatchers.Default) {
    val mutex = kotlinx.coroutines.sync.Mutex()
    var counter = 0L
    coroutineScope { repeat(tasks) { launch { repeat(times) { mutex.withLock { counter++ } } } } }
    counter
}

/** B2: [times] uncontended withPermit calls in one coroutine. */
fun uncontendedPermits(times: Int): Long = runBlocking(Dispatchers.Default) {
    val slots = Semaphore(1)
    var counter = 0L
    repeat(times) { slots.withPermit { counter++ } }
    counter
}
