package dev.corobridge.bridge

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.async
import kotlinx.coroutines.test.runTest
import java.io.IOException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeoutException
import kotlin.time.Duration.Companion.minutes
import kotlin.time.toJavaDuration

// testScheduler is experimental API; these tests read and advance the virtual clock on purpose.
@OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
class TimeoutTest : FunSpec({

    test("times out at the deadline on the virtual clock and cancels the future") {
        runTest {
            val never = CompletableFuture<String>()

            shouldThrow<TimeoutException> { awaitWithin(never, 1.minutes, 1.minutes.toJavaDuration()) }

            testScheduler.currentTime shouldBe 60_000L
            never.isCancelled.shouldBeTrue()
        }
    }

    test("a failure before the deadline is thrown as itself") {
        runTest {
            val failure = IOException("refused")
            val answer = CompletableFuture<String>()
            val waiting = backgroundScope.async { runCatching { awaitWithin(answer, 1.minutes, 1.minutes.toJavaDuration()) } }
            testScheduler.advanceTimeBy(30_000)

            answer.completeExceptionally(failure)

            waiting.await().exceptionOrNull() shouldBeSameInstanceAs failure
        }
    }
})
