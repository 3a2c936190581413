@file:JvmName("Retrying")

package dev.corobridge.bridge.calls

import dev.corobridge.bridge.awaitStage
import kotlinx.coroutines.delay
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletionStage
import java.util.function.Supplier
import kotlin.time.Duration.Companion.nanoseconds

/** What a retry loop needs to know from a retry policy. */
public interface RetryRules {
    /** The most attempts, the first included; at least 1. */
    public val maxAttempts: Int

    /** Whether [failure] may be retried. */
    public fun retries(failure: Throwable): Boolean

    /** How long to wait, in nanoseconds, after [failedAttempts] attempts have failed. */
    public fun backoffNanos(failedAttempts: Int): Long
}

/**
 * Awaits the stage [attempt] returns, calling it again after a failure that [rules] retry, with a
 * backoff delay (a coroutine delay, so cancelling stops it at once) in between.
 *
 * The last failure is thrown as itself, carrying the earlier ones as suppressed. A cancellation
 * is never retried: a stage cancelled by someone else ends the loop like a failure that is not
 * retried.
 */
public suspend fun <T> retrying(rules: RetryRules, attempt: Supplier<out CompletionStage<T>?>): T {
    var earlier: MutableList<Throwable>? = null
    var attempts = 0
    while (true) {
        attempts++
        val failure = try {
            return awaitStage(attempt.get() ?: throw NullPointerException("the body returned null instead of a CompletionStage"))
        } catch (failure: Throwable) {
            failure
        }
        if (failure is CancellationException) throw failure
        if (attempts >= rules.maxAttempts || !rules.retries(failure)) {
            earlier?.forEach { if (it !== failure) failure.addSuppressed(it) }
            throw failure
        }
        (earlier ?: ArrayList<Throwable>().also { earlier = it }).add(failure)
        delay(rules.backoffNanos(attempts).nanoseconds)
    }
}
