package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class RetryPolicyTest {
    private static final RetryPolicy QUICK = RetryPolicy.builder().maxAttempts(3)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();

    @Test
    void retriesUntilAnAttemptSucceeds() {
        AtomicInteger attempts = new AtomicInteger();

        String value = Coroutines.retry(QUICK, () -> attempts.incrementAndGet() < 3
                ? CompletableFuture.<String>failedFuture(new IOException("not yet"))
                : CompletableFuture.completedFuture("done")).join();

        assertEquals("done", value);
        assertEquals(3, attempts.get());
    }

    @Test
    void theLastFailureCarriesTheEarlierOnesAsSuppressed() {
        List<IOException> failures = List.of(new IOException("1"), new IOException("2"), new IOException("3"));
        AtomicInteger attempts = new AtomicInteger();

        Task<String> task = Coroutines.retry(QUICK, () -> CompletableFuture.failedFuture(failures.get(attempts.getAndIncrement())));

        CompletionException failure = assertThrows(CompletionException.class, task::join);
        assertSame(failures.get(2), failure.getCause());
        assertArrayEquals(new Throwable[] {failures.get(0), failures.get(1)}, failures.get(2).getSuppressed());
        assertEquals(3, attempts.get());
    }

    @Test
    void aFailureThatNoRuleMatchesFailsAtOnce() {
        RetryPolicy onlyIo = RetryPolicy.builder().retryOn(IOException.class).backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build();
        IllegalStateException bug = new IllegalStateException("bug");
        AtomicInteger attempts = new AtomicInteger();

        Task<String> task = Coroutines.retry(onlyIo, () -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(bug);
        });

        assertSame(bug, assertThrows(CompletionException.class, task::join).getCause());
        assertEquals(1, attempts.get());
    }

    @Test
    void rulesAddUpAndAPredicateCanChoose() {
        RetryPolicy policy = RetryPolicy.builder().retryOn(IOException.class)
                .retryOn(failure -> failure.getMessage().startsWith("503")).build();

        assertTrue(policy.retries(new IOException("reset")));
        assertTrue(policy.retries(new IllegalStateException("503 busy")));
        assertFalse(policy.retries(new IllegalStateException("400 bad request")));
        assertFalse(policy.retries(new CancellationException("503 but cancelled")));
    }

    @Test
    void withoutRulesEveryExceptionButNoErrorOrCancellationIsRetried() {
        RetryPolicy policy = RetryPolicy.builder().build();

        assertTrue(policy.retries(new IOException("x")));
        assertTrue(policy.retries(new IllegalStateException("x")));
        assertFalse(policy.retries(new AssertionError("x")));
        assertFalse(policy.retries(new CancellationException("x")));
    }

    @Test
    void theDefaultsAreThreeAttemptsAndAHundredMillisecondsDoublingToTenSeconds() {
        RetryPolicy policy = RetryPolicy.builder().build();

        assertEquals(3, policy.maxAttempts());
        assertEquals(Duration.ofMillis(100), policy.firstBackoff());
        assertEquals(Duration.ofSeconds(10), policy.maxBackoff());
        assertEquals(0.0, policy.jitter());
    }

    @Test
    void backoffDoublesFromFirstAndStopsAtMax() {
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).build();

        assertEquals(Duration.ofSeconds(1), policy.backoffAfter(1));
        assertEquals(Duration.ofSeconds(2), policy.backoffAfter(2));
        assertEquals(Duration.ofSeconds(4), policy.backoffAfter(3));
        assertEquals(Duration.ofSeconds(8), policy.backoffAfter(4));
        assertEquals(Duration.ofSeconds(8), policy.backoffAfter(60));
    }

    @Test
    void cancellingDuringABackoffStopsAtOnceAndStartsNoOtherAttempt() throws InterruptedException {
        RetryPolicy slow = RetryPolicy.builder().backoff(Duration.ofHours(1), Duration.ofHours(1)).build();
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch firstFailed = new CountDownLatch(1);
        Task<String> task = Coroutines.retry(slow, () -> {
            attempts.incrementAndGet();
            return CompletableFuture.<String>failedFuture(new IOException("down")).whenComplete((v, f) -> firstFailed.countDown());
        });
        assertTrue(firstFailed.await(5, TimeUnit.SECONDS));

        task.cancelAndJoin().orTimeout(5, TimeUnit.SECONDS).join();

        assertTrue(task.isCancelled());
        assertEquals(1, attempts.get());
    }

    @Test
    void cancellingTheTaskCancelsTheAttemptInFlight() throws InterruptedException {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        Task<String> task = Coroutines.retry(QUICK, () -> {
            started.countDown();
            return attempt;
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));

        task.cancelAndJoin().join();

        assertTrue(attempt.isCancelled());
    }

    @Test
    void badInputFailsAtTheCallNamingTheValue() {
        RetryPolicy.Builder builder = RetryPolicy.builder();

        assertEquals("maxAttempts must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> builder.maxAttempts(0)).getMessage());
        assertEquals("first must be > 0, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> builder.backoff(Duration.ZERO, Duration.ofSeconds(1))).getMessage());
        assertEquals("max must be >= first (PT2S), was PT1S",
                assertThrows(IllegalArgumentException.class, () -> builder.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).getMessage());
        assertEquals("jitter must be between 0 and 1, was 1.5",
                assertThrows(IllegalArgumentException.class, () -> builder.jitter(1.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.jitter(-0.1));
        assertThrows(IllegalArgumentException.class, () -> builder.jitter(Double.NaN));
        assertEquals("first", assertThrows(NullPointerException.class, () -> builder.backoff(null, Duration.ofSeconds(1))).getMessage());
        assertEquals("max", assertThrows(NullPointerException.class, () -> builder.backoff(Duration.ofSeconds(1), null)).getMessage());
        assertEquals("type", assertThrows(NullPointerException.class, () -> builder.retryOn((Class<? extends Throwable>) null)).getMessage());
        assertEquals("policy", assertThrows(NullPointerException.class,
                () -> Coroutines.retry(null, () -> CompletableFuture.completedFuture(1))).getMessage());
        assertEquals("body", assertThrows(NullPointerException.class, () -> Coroutines.retry(QUICK, null)).getMessage());
    }
}
