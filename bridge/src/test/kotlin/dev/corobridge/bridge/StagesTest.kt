package dev.corobridge.bridge

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import java.io.IOException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage

class StagesTest : FunSpec({

    test("a completed stage is read without suspending") {
        val events = mutableListOf<String>()

        val reader = async(start = CoroutineStart.UNDISPATCHED) {
            events += "read ${awaitStage(CompletableFuture.completedFuture(7))}"
        }
        events += "after start"

        reader.await()
        events shouldBe listOf("read 7", "after start")
    }

    test("a failure is thrown as the original exception, not a recovered copy") {
        // Surefire runs with -ea, which turns on kotlinx's stack-trace recovery: a resumed exception would be copied.
        val failure = IOException("disk full")
        val future = CompletableFuture<String>()

        val awaiting = async(Dispatchers.Default) { runCatching { awaitStage(future.thenApply { it.trim() }) } }
        yield()
        future.completeExceptionally(failure)

        awaiting.await().exceptionOrNull() shouldBeSameInstanceAs failure
    }

    test("cancelling the awaiting coroutine cancels the stage") {
        val future = CompletableFuture<String>()

        val awaiting = launch(start = CoroutineStart.UNDISPATCHED) { awaitStage(future) }
        awaiting.cancelAndJoin()

        future.isCancelled.shouldBeTrue()
    }

    test("a minimal stage that cannot become a future is still awaited") {
        val future = CompletableFuture<String>()
        val minimal: CompletionStage<String> = future.minimalCompletionStage()

        val awaiting = async(Dispatchers.Default) { awaitStage(minimal) }
        future.complete("done")

        awaiting.await() shouldBe "done"
    }

    test("unwrap removes CompletionException layers only") {
        val original = IllegalStateException("x")

        unwrap(java.util.concurrent.CompletionException(java.util.concurrent.CompletionException(original))) shouldBeSameInstanceAs original
        unwrap(original) shouldBeSameInstanceAs original
    }

    test("onCallersLoop passes on a future completed on a thread of its own by a task on the caller's loop") {
        val source = CompletableFuture<String>()
        val result = onCallersLoop(source) // a plain coroutine has no library loop: the global one, Dispatchers.Default
        val passedOnBy = result.thenApply { Thread.currentThread() }

        val completer = Thread { source.complete("done") }
        completer.start()
        completer.join()

        awaitStage(result) shouldBe "done"
        val thread = awaitStage(passedOnBy)
        (thread === completer).shouldBeFalse()
        thread.name shouldStartWith "DefaultDispatcher-worker"
    }

    test("onCallersLoop passes on at once what is already complete, unwrapped, and its result's cancel leaves the source alone") {
        onCallersLoop(CompletableFuture.completedFuture("now")).getNow(null) shouldBe "now"
        val failure = IOException("disk full")
        val failed = onCallersLoop(CompletableFuture.failedFuture<String>(java.util.concurrent.CompletionException(failure)))
        shouldThrow<IOException> { awaitStage(failed) } shouldBeSameInstanceAs failure

        val source = CompletableFuture<String>()
        onCallersLoop(source).cancel(false)
        source.isCancelled.shouldBeFalse()
    }

    test("the value of a done future is read in the caller") {
        withContext(Dispatchers.Default) { valueOf(CompletableFuture.completedFuture("x")) } shouldBe "x"
        shouldThrow<IOException> { valueOf(CompletableFuture.failedFuture<String>(IOException("y"))) }
    }
})
