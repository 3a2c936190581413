package dev.corobridge.bridge.channels

import dev.corobridge.bridge.Kept
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import java.io.IOException
import java.util.Optional
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.function.Function

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

    test("a channel's flow emits its elements once, requests each one, and runs start and finish") {
        val channel = newChannel<Int>(3, null)
        listOf(1, 2, 3).forEach { trySend(channel, it) }
        close(channel, null)
        val events = mutableListOf<String>()

        val elements = runBlocking {
            flowOf(channel, { events.add("start") }, { events.add("request") }, { events.add("finish") }).toList()
        }

        elements shouldBe listOf(1, 2, 3)
        events shouldBe listOf("start", "request", "request", "request", "request", "finish")
    }
})
