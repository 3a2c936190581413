@file:JvmName("VirtualLoop")

package dev.corobridge.test.internal

import dev.corobridge.bridge.Ambient
import dev.corobridge.bridge.runAsLoop
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.job
import kotlinx.coroutines.test.TestDispatcher
import kotlinx.coroutines.test.runTest
import java.util.concurrent.CompletionStage
import java.util.function.Function
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/**
 * Runs [body] as a corobridge loop on kotlinx-coroutines-test's virtual clock: the same loop
 * logic as `Coroutines.run` ([runAsLoop]), driven by `runTest` instead of `runBlocking`.
 *
 * The body's outcome is carried out of `runTest` rather than thrown inside it, so the caller
 * gets the body's original exception, and `runTest` never reports it as an uncaught one.
 */
@Throws(Exception::class)
public fun <T> runVirtual(body: Function<CoroutineScope, out CompletionStage<T>?>, realTimeout: java.time.Duration): T {
    val ambient = Ambient.forLoop()
    var outcome: Result<T>? = null
    runTest(ambient, realTimeout.toKotlinDuration()) {
        val keeper = SupervisorJob(coroutineContext.job)
        val root = CoroutineScope(coroutineContext + keeper).async { runAsLoop(ambient, body) }
        root.join()
        outcome = completedOutcome(root)
        keeper.complete()
    }
    return checkNotNull(outcome) { "the virtual-time loop ended without an outcome" }.getOrThrow()
}

@OptIn(ExperimentalCoroutinesApi::class) // getCompleted: read after join, when the deferred has completed
private fun <T> completedOutcome(root: kotlinx.coroutines.Deferred<T>): Result<T> =
    root.getCompletionExceptionOrNull()?.let { Result.failure(it) } ?: Result.success(root.getCompleted())

/** The virtual-time scheduler of the loop the calling body runs in, or null outside one. */
public fun currentScheduler(): kotlinx.coroutines.test.TestCoroutineScheduler? =
    (Ambient.current()?.home as? TestDispatcher)?.scheduler

/** The virtual time, in milliseconds since the start, of the loop the calling body runs in. */
@OptIn(ExperimentalCoroutinesApi::class) // currentTime: reading the virtual clock is the point of this module
public fun currentTimeMillis(scheduler: kotlinx.coroutines.test.TestCoroutineScheduler): Long = scheduler.currentTime

/** Runs every task due up to [by] later on the virtual clock, then sets the clock there. */
public fun advanceBy(scheduler: kotlinx.coroutines.test.TestCoroutineScheduler, by: java.time.Duration) {
    val step: Duration = by.toKotlinDuration()
    scheduler.advanceTimeBy(step)
    scheduler.runCurrent()
}

/** Runs every task, advancing the virtual clock, until nothing is left to run. */
public fun runUntilIdle(scheduler: kotlinx.coroutines.test.TestCoroutineScheduler) {
    scheduler.advanceUntilIdle()
}
