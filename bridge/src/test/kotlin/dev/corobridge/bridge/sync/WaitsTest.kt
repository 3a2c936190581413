package dev.corobridge.bridge.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.Semaphore
import java.util.concurrent.TimeUnit

/** Kotest spec; named *Test so that surefire's default includes pick it up. */
class WaitsTest : FunSpec({
    test("a grant that loses the race with cancellation is given back") {
        val semaphore = Semaphore(1)
        repeat(1_000) {
            semaphore.tryAcquire() shouldBe true
            val waiter = acquire(semaphore)

            semaphore.release()
            val cancelled = waiter.cancel(false)

            if (!cancelled) semaphore.release()
            acquire(semaphore).get(5, TimeUnit.SECONDS) // waits for a late give-back, if there was one
            semaphore.tryAcquire() shouldBe false
            semaphore.release()
            semaphore.availablePermits shouldBe 1
        }
    }

    test("a signal sent to a cancelled waiter passes to the next one") {
        val mutex = Mutex()
        val waiters = ConditionWaiters()
        mutex.tryLock() shouldBe true
        val first = waiters.await(mutex, null)
        mutex.tryLock() shouldBe true
        val second = waiters.await(mutex, null)
        mutex.tryLock() shouldBe true

        first.cancel(false)
        waiters.signal()
        mutex.unlock()

        second.get(5, TimeUnit.SECONDS)
        mutex.isLocked shouldBe true
        waiters.waiting() shouldBe 0
    }
})
