package dev.corobridge.bridge.calls

import dev.corobridge.bridge.Ambient
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.async
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Semaphore
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/**
 * A sliding-window rate limit: at most [permits] starts in any window of length [per].
 *
 * Each start takes a permit of a fair (FIFO) semaphore and gives it back exactly [per] later, by a
 * timer on the dispatcher of the coroutine that started. So no two starts more than [permits]
 * apart are ever closer than [per], no clock is read, and the timers follow whatever clock that
 * dispatcher keeps (a virtual one in tests). A waiter cancelled before it gets a permit takes none.
 */
public class RateWindow(permits: Int, per: java.time.Duration) {
    private val slots = Semaphore(permits)
    private val window: Duration = per.toKotlinDuration()

    /** Suspends until a start is allowed, in FIFO order, and counts the start. */
    public suspend fun acquire() {
        slots.acquire()
        giveBackLater(currentCoroutineContext()[ContinuationInterceptor] ?: Dispatchers.Default)
    }

    /** Counts a start if one is allowed now, without waiting; false otherwise. */
    public fun tryAcquire(): Boolean {
        if (!slots.tryAcquire()) return false
        giveBackLater(Ambient.currentOrGlobal().home)
        return true
    }

    /** How many starts are allowed right now: a snapshot. */
    public val availablePermits: Int get() = slots.availablePermits

    /**
     * Waits for a start in a coroutine on the caller's running loop, started undispatched so that
     * it takes its place in the queue before this returns (FIFO among the callers of one thread).
     */
    @OptIn(DelicateCoroutinesApi::class) // detached on purpose: the returned Deferred's owner cancels it
    public fun acquireAsync(): Deferred<Void?> =
        GlobalScope.async(Ambient.currentOrGlobal().detachedContext, CoroutineStart.UNDISPATCHED) {
            acquire()
            null
        }

    /**
     * Returns the permit one window later. The timer belongs to the limiter, not to the caller: it
     * carries no job parent and no [Ambient], so the caller's scope may end without waiting for it
     * or cancelling it (which would reopen the window early).
     */
    @OptIn(DelicateCoroutinesApi::class) // see above: the window outlives the work that opened it
    private fun giveBackLater(clock: CoroutineContext) {
        GlobalScope.launch(clock, CoroutineStart.UNDISPATCHED) {
            delay(window)
            slots.release()
        }
    }
}
