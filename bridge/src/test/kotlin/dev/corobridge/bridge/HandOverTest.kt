package dev.corobridge.bridge

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.async
import kotlinx.coroutines.job
import io.kotest.matchers.booleans.shouldBeFalse
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.function.Consumer
import kotlin.concurrent.thread

/**
 * A value that must not be lost (an element taken from a channel) reaches either the future or the
 * orphan handler, whichever way a cancellation interleaves with it. The coroutines here cancel
 * themselves at the exact point under test, so each interleaving is pinned, not hoped for.
 */
class HandOverTest : FunSpec({

    test("kotlinx drops the value of a body that returns after its coroutine was cancelled") {
        @OptIn(kotlinx.coroutines.DelicateCoroutinesApi::class) // a lone coroutine, joined below
        val deferred = GlobalScope.async(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) {
            coroutineContext.job.cancel()
            "taken"
        }

        deferred.join()

        deferred.isCancelled.shouldBeTrue()
    }

    test("a value kept before a cancellation that reaches the body goes to the orphan handler") {
        val orphans = CopyOnWriteArrayList<String>()
        val kept = Kept<String>()
        val future = CompletableFuture<String>()
        @OptIn(kotlinx.coroutines.DelicateCoroutinesApi::class) // a lone coroutine, joined below
        val deferred = GlobalScope.async(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) {
            val value = kept.keep("taken")
            future.cancel(false) // the caller gives up after the element reached the body, before it returns
            coroutineContext.job.cancel()
            value
        }

        completeFrom(deferred, kept, future, Consumer { orphans.add(it) }, CompletableFuture())
        deferred.join()

        future.isCancelled.shouldBeTrue()
        orphans shouldBe listOf("taken")
    }

    test("a value that arrives after the future was cancelled goes to the orphan handler") {
        val orphans = CopyOnWriteArrayList<String>()
        val kept = Kept<String>()
        val future = CompletableFuture<String>()
        val release = CompletableFuture<Unit>()
        @OptIn(kotlinx.coroutines.DelicateCoroutinesApi::class) // a lone coroutine, joined below
        val deferred = GlobalScope.async(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) {
            awaitStage(release)
            kept.keep("late")
        }
        completeFrom(deferred, kept, future, Consumer { orphans.add(it) }, CompletableFuture())

        future.cancel(false)
        release.complete(Unit)
        deferred.join()

        orphans shouldBe listOf("late")
    }

    test("a value that completes the future is not handed to the orphan handler") {
        val orphans = CopyOnWriteArrayList<String>()
        val kept = Kept<String>()
        val future = CompletableFuture<String>()
        @OptIn(kotlinx.coroutines.DelicateCoroutinesApi::class) // a lone coroutine, joined below
        val deferred = GlobalScope.async(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) { kept.keep("delivered") }

        completeFrom(deferred, kept, future, Consumer { orphans.add(it) }, CompletableFuture())
        deferred.join()

        future.get() shouldBe "delivered"
        orphans shouldBe emptyList()
    }

    test("the hand-over is over only once the orphan handler has run, though the job already counts as finished") {
        val kept = Kept<String>()
        val future = CompletableFuture<String>()
        val handedOver = CompletableFuture<Void?>()
        val release = CompletableFuture<Unit>()
        val inHandler = CountDownLatch(1)
        val leaveHandler = CountDownLatch(1)
        @OptIn(kotlinx.coroutines.DelicateCoroutinesApi::class) // a lone coroutine, joined below
        val deferred = GlobalScope.async(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) {
            awaitStage(release)
            kept.keep("late")
        }
        completeFrom(deferred, kept, future, Consumer {
            inHandler.countDown()
            leaveHandler.await(10, TimeUnit.SECONDS)
        }, handedOver)
        future.cancel(false)
        val deliverer = thread(name = "deliverer") { release.complete(Unit) } // the coroutine ends on this thread
        inHandler.await(10, TimeUnit.SECONDS).shouldBeTrue()

        val finished = whenFinished(deferred) // added after the job completed: kotlinx runs it at once, here

        finished.isDone.shouldBeTrue()
        handedOver.isDone.shouldBeFalse()
        leaveHandler.countDown()
        deliverer.join()
        handedOver.isDone.shouldBeTrue()
    }
})
