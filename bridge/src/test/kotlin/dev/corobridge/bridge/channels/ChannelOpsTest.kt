package dev.corobridge.bridge.channels

import dev.corobridge.bridge.Kept
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runTest
import java.io.IOException
import java.util.Optional
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.function.Function
import kotlin.time.Duration.Companion.hours

class ChannelOpsTest : FunSpec({
    val plainClose = IllegalStateException("closed")
    val closed = Function<Throwable?, Throwable> { cause -> cause ?: plainClose }

    test("an element that can be taken at once needs no coroutine") {
        val channel = newChannel<String>(1, null)

        trySend(channel, "a").shouldBeTrue()

        receiveNow(channel, closed)!!.get() shouldBe "a"
        receiveNow(channel, closed).shouldBeNull()
    }

    test("a plain close is reported through the mapping with no cause") {
        val channel = newChannel<String>(Channel.RENDEZVOUS, null)
        close(channel, null)

        val failure = runCatching { receiveNow(channel, closed)!!.get() }.exceptionOrNull()

        (failure as ExecutionException).cause shouldBeSameInstanceAs plainClose
    }

    test("a close cause reaches a suspended receiver as the very same instance") {
        val channel = newChannel<String>(Channel.RENDEZVOUS, null)
        val cause = IOException("producer failed")
        val receiving = receiveAsync(channel, closed, Kept())
        // Not a variable read after join(): kotlinx marks the job complete before it runs its
        // completion handlers, so join() may return before this one has run on the closing thread.
        val failure = CompletableFuture<Throwable?>()
        receiving.invokeOnCompletion { failure.complete(it) }

        close(channel, cause)

        failure.get(10, TimeUnit.SECONDS) shouldBeSameInstanceAs cause
    }

    test("iteration ends quietly on a cancelled channel") {
        val channel = newChannel<String>(4, null)
        trySend(channel, "dropped")

        cancel(channel)

        nextNow(channel)!!.get() shouldBe Optional.empty()
        isClosedForSend(channel).shouldBeTrue()
        isClosedForReceive(channel).shouldBeTrue()
    }

    test("a cancelled send hands its element to the undelivered-element handler") {
        val undelivered = mutableListOf<String>()
        val channel = newChannel<String>(Channel.RENDEZVOUS) { undelivered.add(it) }
        val sending = sendAsync(channel, "withdrawn", closed)

        sending.cancel()

        undelivered shouldBe listOf("withdrawn")
        trySend(channel, "next").shouldBeFalse()
    }

    test("a flow of futures emits their elements once, asks for each in turn, and runs finish at the end") {
        val elements = ArrayDeque(listOf(Optional.of(1), Optional.of(2), Optional.of(3), Optional.empty()))
        val events = mutableListOf<String>()
        val flow = flowOf({
            events.add("next")
            CompletableFuture.completedFuture(elements.removeFirst())
        }, { events.add("finish") })

        runBlocking { flow.toList() } shouldBe listOf(1, 2, 3)
        events shouldBe listOf("next", "next", "next", "next", "finish")
        shouldThrow<IllegalStateException> { runBlocking { flow.toList() } }
    }

    test("a flow of futures throws a failed future's original exception, and runs finish") {
        val failure = IOException("the producer failed")
        val events = mutableListOf<String>()
        val flow = flowOf<Int>({ CompletableFuture.failedFuture(failure) }, { events.add("finish") })

        shouldThrow<IOException> { runBlocking { flow.toList() } } shouldBeSameInstanceAs failure
        events shouldBe listOf("finish")
    }

    test("cancelling a flow of futures' collection cancels the future it awaits, and runs finish") {
        val pending = CompletableFuture<Optional<Int>>()
        val events = mutableListOf<String>()
        val flow = flowOf({ pending }, { events.add("finish") })

        runBlocking {
            val collecting = launch(start = CoroutineStart.UNDISPATCHED) { flow.toList() }
            collecting.cancelAndJoin()
        }

        pending.isCancelled.shouldBeTrue()
        events shouldBe listOf("finish")
    }

    test("afterRealTime runs its action once that much real time has passed, also from a virtual-time test") {
        val ran = CompletableFuture<Long>()
        val inAnHour = CompletableFuture<Unit>()
        val start = System.nanoTime()
        runTest {
            // The hour-long timer shows that virtual time does not move it; the 5 ms one may run
            // meanwhile (a thread can be off its core that long), so it is only awaited below.
            val hour = afterRealTime(TimeUnit.HOURS.toNanos(1)) { inAnHour.complete(Unit) }
            afterRealTime(5_000_000L) { ran.complete(System.nanoTime()) }
            delay(10.hours) // ten virtual hours pass at once
            inAnHour.isDone.shouldBeFalse()
            hour.cancel()
        }

        (ran.get(10, TimeUnit.SECONDS) - start >= 5_000_000L).shouldBeTrue()
    }

    test("cancelling afterRealTime's job drops the action and ends the job on the cancelling thread") {
        val ran = CompletableFuture<Unit>()
        val timer = afterRealTime(TimeUnit.HOURS.toNanos(1)) { ran.complete(Unit) }

        timer.cancel()

        timer.isCancelled.shouldBeTrue()
        timer.isCompleted.shouldBeTrue()
        ran.isDone.shouldBeFalse()
    }

    test("the spins give up once their time is over, and an interrupt ends them at once") {
        spinUntil { false }.shouldBeFalse()
        spinAfterWakingUntil { false }.shouldBeFalse()
        var tries = 0
        spinAfterWakingUntil { ++tries == 3 }.shouldBeTrue()
        tries shouldBe 3

        Thread.currentThread().interrupt()
        try {
            tries = 0
            spinAfterWakingUntil { tries++; false }.shouldBeFalse()
            tries shouldBe 1 // the first try, then no spin
        } finally {
            Thread.interrupted()
        }
    }
})
