package dev.corobridge;

import static dev.corobridge.AsyncChannelTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class AsCompletedTest {

    @Test
    void valuesComeInTheOrderTheStagesComplete() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> fast = new CompletableFuture<>();
        CompletableFuture<String> middle = new CompletableFuture<>();
        Generator<String> results = Coroutines.asCompleted(List.of(slow, fast, middle));

        CompletableFuture<Optional<String>> first = results.next();
        fast.complete("fast");
        middle.complete("middle");
        slow.complete("slow");

        assertEquals(Optional.of("fast"), first.join());
        assertEquals(List.of("middle", "slow"), results.toList().join());
    }

    @Test
    void theFirstFailureEndsTheGeneratorAndCancelsTheRest() {
        CompletableFuture<String> done = CompletableFuture.completedFuture("done");
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> running = new CompletableFuture<>();
        IllegalStateException failure = new IllegalStateException("server error");
        Generator<String> results = Coroutines.asCompleted(List.of(done, failing, running));

        failing.completeExceptionally(failure);

        assertEquals(Optional.of("done"), results.next().join());
        assertSame(failure, failureOf(results.next()));
        assertTrue(running.isCancelled());
    }

    @Test
    void closingTheGeneratorCancelsTheStagesStillRunning() {
        CompletableFuture<String> running = new CompletableFuture<>();
        Generator<String> results = Coroutines.asCompleted(List.of(running));

        results.close();

        assertTrue(running.isCancelled());
    }

    @Test
    void noStagesMakeAnEmptyGenerator() {
        Generator<String> results = Coroutines.asCompleted(List.of());

        assertEquals(Optional.empty(), results.next().join());
    }

    @Test
    void aNullStageIsRejectedWithItsIndex() {
        List<CompletableFuture<String>> stages = Arrays.asList(CompletableFuture.completedFuture("a"), null);

        NullPointerException failure = assertThrows(NullPointerException.class, () -> Coroutines.asCompleted(stages));

        assertEquals("stages[1]", failure.getMessage());
    }
}
