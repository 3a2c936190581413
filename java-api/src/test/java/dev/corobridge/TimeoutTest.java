package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Started;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class TimeoutTest {

    @Test
    void failsWithTimeoutExceptionAndCancelsTheBodysStage() {
        CompletableFuture<String> neverAnswers = new CompletableFuture<>();

        Task<String> task = Coroutines.timeout(Duration.ofMillis(10), () -> neverAnswers);

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> task.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, thrown.getCause());
        assertTrue(thrown.getCause().getMessage().contains("PT0.01S"));
        assertTrue(neverAnswers.isCancelled());
    }

    @Test
    void returnsTheValueWhenTheStageCompletesInTime() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Task<String> task = Coroutines.timeout(Duration.ofHours(1), () -> answer);

        answer.complete("on time");

        assertEquals("on time", task.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aZeroTimeoutStillReturnsAnAlreadyCompletedStage() throws Exception {
        Task<String> task = Coroutines.timeout(Duration.ZERO, () -> CompletableFuture.completedFuture("ready"));

        assertEquals("ready", task.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aFailureBeforeTheDeadlineIsReportedAsItself() {
        IOException failure = new IOException("refused");
        CompletableFuture<String> answer = new CompletableFuture<>();
        Task<String> task = Coroutines.timeout(Duration.ofHours(1), () -> answer);

        answer.completeExceptionally(failure);

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> task.get(5, TimeUnit.SECONDS));
        assertSame(failure, thrown.getCause());
    }

    /** kotlinx.coroutines#892: a failure racing the deadline is either the failure or a timeout, never lost. */
    @RepeatedTest(200)
    void aFailureRacingTheDeadlineIsNeverLostOrTurnedIntoACancellation() {
        IOException failure = new IOException("refused");
        CompletableFuture<String> answer = new CompletableFuture<>();
        Task<String> task = Coroutines.timeout(Duration.ofMillis(1), () -> answer);

        answer.completeExceptionally(failure);

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> task.get(5, TimeUnit.SECONDS));
        Throwable cause = thrown.getCause();
        assertTrue(cause == failure || cause instanceof TimeoutException, "unexpected " + cause);
    }

    @Test
    void cancellingTheTaskCancelsTheStageWithoutATimeout() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Task<String> task = Started.awaiting(answer, body -> Coroutines.timeout(Duration.ofHours(1), body));

        task.cancelAndJoin().get(5, TimeUnit.SECONDS);

        assertTrue(task.isCancelled());
        assertTrue(answer.isCancelled());
    }
}
