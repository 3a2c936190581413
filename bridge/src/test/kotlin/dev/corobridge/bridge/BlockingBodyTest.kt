package dev.corobridge.bridge

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.job
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean

class BlockingBodyTest : FunSpec({

    test("cancellation interrupts a running body") {
        val started = CountDownLatch(1)
        val interrupted = AtomicBoolean()
        val body = BlockingBody {
            started.countDown()
            try {
                CountDownLatch(1).await()
            } catch (e: InterruptedException) {
                interrupted.set(true)
                throw e
            }
        }

        val running = async(Dispatchers.IO) { body.run(coroutineContext.job) }
        started.await(5, TimeUnit.SECONDS).shouldBeTrue()
        running.cancelAndJoin()

        interrupted.get().shouldBeTrue()
        running.isCancelled.shouldBeTrue()
    }

    test("keepUninterrupted lets the body run to its end") {
        val started = CountDownLatch(1)
        val proceed = CountDownLatch(1)
        val sawInterrupt = AtomicBoolean()
        val body = BlockingBody {
            started.countDown()
            proceed.await()
            sawInterrupt.set(Thread.currentThread().isInterrupted)
        }

        val running = async(Dispatchers.IO) { body.run(coroutineContext.job) }
        started.await(5, TimeUnit.SECONDS).shouldBeTrue()
        body.keepUninterrupted()
        running.cancel()
        proceed.countDown()
        running.join()

        sawInterrupt.get().shouldBeFalse()
    }

    test("an interrupt never leaks to the next task of a pooled thread") {
        val executor = Executors.newSingleThreadExecutor()
        val single = executor.asCoroutineDispatcher()
        try {
            repeat(200) {
                val started = CountDownLatch(1)
                val body = BlockingBody {
                    started.countDown()
                    // Busy, not blocked: the interrupt may land at any moment, even as the body returns.
                    while (!Thread.currentThread().isInterrupted && started.count == 0L && System.nanoTime() % 7 != 0L) Thread.onSpinWait()
                }
                val running = async(single) { body.run(coroutineContext.job) }
                started.await(5, TimeUnit.SECONDS)
                running.cancelAndJoin()

                executor.submit<Boolean> { Thread.currentThread().isInterrupted }.get(5, TimeUnit.SECONDS) shouldBe false
            }
        } finally {
            single.close()
        }
    }
})
