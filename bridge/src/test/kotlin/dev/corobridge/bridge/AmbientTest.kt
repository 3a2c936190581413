package dev.corobridge.bridge

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

class AmbientTest : FunSpec({

    test("a plain thread has no running loop") {
        withContext(Dispatchers.IO) { Ambient.current().shouldBeNull() }
        Ambient.currentOrGlobal() shouldBeSameInstanceAs Ambient.GLOBAL
    }

    test("a body sees its loop; a callback run by a foreign thread does not") {
        val gate = CompletableFuture<String>()
        val bodyRan = CompletableFuture<Ambient?>()
        val seen = Origin.detached().stage({
            val dependent = gate.thenApply { Ambient.current() } // registered before the gate can complete
            bodyRan.complete(Ambient.current())
            dependent
        }) { CompletableFuture<Ambient?>() }
        bodyRan.get(5, TimeUnit.SECONDS) shouldBeSameInstanceAs Ambient.GLOBAL

        Thread { gate.complete("from a plain thread") }.apply { start() }.join()

        seen.get(5, TimeUnit.SECONDS).shouldBeNull()
    }

    test("the running loop is restored when the coroutine suspends") {
        val loop = Ambient.of(Dispatchers.Default, null)

        withContext(loop) {
            Ambient.current() shouldBeSameInstanceAs loop
            yield()
            Ambient.current() shouldBeSameInstanceAs loop
        }
        Ambient.current().shouldBeNull()
    }

    test("run's loop sends detached work to the thread that called run") {
        val (caller, worker) = withContext(Dispatchers.IO) {
            val caller = Thread.currentThread()
            caller to runLoop { _ ->
                Origin.detached().stage({ CompletableFuture.completedFuture(Thread.currentThread()) }) { CompletableFuture<Thread>() }
            }
        }

        worker shouldBeSameInstanceAs caller
    }

    test("a blocking body sees the blocking view of its loop") {
        val body = BlockingBody { Ambient.current()?.isBlocking to Ambient.current()?.home }

        val (blocking, home) = Origin.detached().blocking(body).asCompletableFuture().get(5, TimeUnit.SECONDS)

        blocking shouldBe true
        home shouldBeSameInstanceAs Dispatchers.Default
    }
})

private fun <T> kotlinx.coroutines.Deferred<T>.asCompletableFuture(): CompletableFuture<T> =
    CompletableFuture<T>().also { completeFrom(this, it) }
