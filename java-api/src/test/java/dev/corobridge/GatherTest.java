package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Started;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class GatherTest {

    @Test
    void keepsInputOrderWhateverTheCompletionOrder() {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        CompletableFuture<String> third = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Coroutines.gather(List.of(first, second, third));

        third.complete("c");
        first.complete("a");
        second.complete("b");

        assertEquals(List.of("a", "b", "c"), all.join());
    }

    @Test
    void keepsNullValues() {
        CompletableFuture<List<String>> all = Coroutines.gather(List.of(
                CompletableFuture.completedFuture("a"), CompletableFuture.<String>completedFuture(null)));

        assertEquals(Arrays.asList("a", null), all.join());
    }

    @Test
    void failsFastWithTheOriginalExceptionAndCancelsTheOthers() {
        IOException failure = new IOException("server down");
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Coroutines.gather(List.of(pending, failing));

        failing.completeExceptionally(failure);

        ExecutionException thrown = assertThrows(ExecutionException.class, all::get);
        assertSame(failure, thrown.getCause());
        assertTrue(pending.isCancelled());
    }

    @Test
    void cancellingTheGatherCancelsEveryInput() {
        CompletableFuture<String> first = new CompletableFuture<>();
        Task<String> second = Coroutines.async(CompletableFuture::new);
        CompletableFuture<List<String>> all = Coroutines.gather(List.of(first, second));

        all.cancel(false);

        assertTrue(first.isCancelled());
        assertTrue(second.isCancelled());
        second.cancelAndJoin().join();
    }

    @Test
    void gathersTasksAndPlainFuturesTogetherInInputOrder() {
        CompletableFuture<String> awaitedByFirst = new CompletableFuture<>();
        CompletableFuture<String> plain = new CompletableFuture<>();
        CompletableFuture<String> awaitedByThird = new CompletableFuture<>();
        Task<List<String>> group = Coroutines.taskGroup(scope -> Coroutines.gather(List.of(
                scope.async(() -> awaitedByFirst), plain, scope.async(() -> awaitedByThird))));

        awaitedByThird.complete("c");
        plain.complete("b");
        awaitedByFirst.complete("a");

        assertEquals(List.of("a", "b", "c"), group.join());
    }

    @Test
    void aGatheredTaskCompletedFromOutsideGivesThatValueAndCancelsWhatItAwaited() throws Exception {
        CompletableFuture<String> awaited = new CompletableFuture<>();
        Task<String> task = Started.awaiting(awaited, Coroutines::async);
        CompletableFuture<String> plain = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Coroutines.gather(List.of(task, plain));

        task.complete("from outside");
        plain.complete("plain");

        assertEquals(List.of("from outside", "plain"), all.join());
        task.cancelAndJoin().get(5, TimeUnit.SECONDS);
        assertTrue(awaited.isCancelled(), "the task's coroutine owned the stage it awaited");
    }

    @Test
    void aGatheredTaskCancelledFromOutsideFailsTheGatherAndCancelsTheOthers() throws Exception {
        CompletableFuture<String> awaited = new CompletableFuture<>();
        Task<String> task = Started.awaiting(awaited, Coroutines::async);
        CompletableFuture<String> plain = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Coroutines.gather(List.of(plain, task));

        task.cancel(false);

        assertThrows(CancellationException.class, all::join);
        assertTrue(plain.isCancelled());
        task.cancelAndJoin().get(5, TimeUnit.SECONDS);
        assertTrue(awaited.isCancelled());
    }

    @Test
    void aFailingTaskFailsTheGatherWithItsOriginalExceptionAndCancelsTheOtherTasks() throws Exception {
        IOException failure = new IOException("disk full");
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> awaitedBySibling = new CompletableFuture<>();
        Task<String> sibling = Started.awaiting(awaitedBySibling, Coroutines::async);
        CompletableFuture<List<String>> all = Coroutines.gather(List.of(Coroutines.async(() -> failing), sibling));

        failing.completeExceptionally(failure);

        ExecutionException thrown = assertThrows(ExecutionException.class, all::get);
        assertSame(failure, thrown.getCause());
        assertTrue(sibling.isCancelled());
        sibling.cancelAndJoin().get(5, TimeUnit.SECONDS);
        assertTrue(awaitedBySibling.isCancelled());
    }

    @Test
    void gathersOneHundredThousandStagesWithoutStackOverflow() {
        List<CompletableFuture<Integer>> stages = IntStream.range(0, 100_000)
                .mapToObj(i -> new CompletableFuture<Integer>())
                .collect(Collectors.toList());
        CompletableFuture<List<Integer>> all = Coroutines.gather(stages);

        for (int i = stages.size() - 1; i >= 0; i--) {
            stages.get(i).complete(i);
        }

        List<Integer> values = all.join();
        assertEquals(100_000, values.size());
        assertEquals(99_999, values.get(99_999));
        assertEquals(0, values.get(0));
    }

    @Test
    void gathersNothingIntoAnEmptyList() {
        assertEquals(List.of(), Coroutines.gather(List.<CompletableFuture<String>>of()).join());
    }

    @Test
    void gatherSettledReportsEveryOutcomeInInputOrder() {
        IOException failure = new IOException("lost order");

        List<Outcome<String>> outcomes = Coroutines.gatherSettled(List.of(
                CompletableFuture.completedFuture("pizza"),
                CompletableFuture.<String>failedFuture(failure),
                CompletableFuture.completedFuture("pasta"))).join();

        assertTrue(outcomes.get(0).isSuccess());
        assertEquals("pizza", outcomes.get(0).value());
        assertFalse(outcomes.get(1).isSuccess());
        assertSame(failure, outcomes.get(1).failure());
        assertThrows(IllegalStateException.class, () -> outcomes.get(1).value());
        assertThrows(IllegalStateException.class, () -> outcomes.get(0).failure());
        assertEquals("pasta", outcomes.get(2).value());
    }

    @Test
    void raceReturnsTheFirstSuccessAndCancelsTheLosers() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> fast = new CompletableFuture<>();
        CompletableFuture<String> winner = Coroutines.race(List.of(slow, failing, fast));

        failing.completeExceptionally(new IOException("mirror down"));
        fast.complete("mirror 3");

        assertEquals("mirror 3", winner.join());
        assertTrue(slow.isCancelled());
    }

    @Test
    void whoeverSeesTheGatherFailOrTheRaceWonFindsTheOthersAlreadyCancelled() {
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> sibling = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Coroutines.gather(List.of(failing, sibling));
        CompletableFuture<String> winning = new CompletableFuture<>();
        CompletableFuture<String> loser = new CompletableFuture<>();
        CompletableFuture<String> race = Coroutines.race(List.of(winning, loser));
        // Dependents added last run first: these run as soon as each result is completed.
        CompletableFuture<Boolean> siblingCancelledWhenAllFailed = all.handle((values, failure) -> sibling.isCancelled());
        CompletableFuture<Boolean> loserCancelledWhenRaceWon = race.thenApply(value -> loser.isCancelled());
        IOException failure = new IOException("disk full");

        failing.completeExceptionally(failure);
        winning.complete("mirror 1");

        assertTrue(siblingCancelledWhenAllFailed.join());
        assertTrue(loserCancelledWhenRaceWon.join());
        assertSame(failure, assertThrows(ExecutionException.class, all::get).getCause(), "the sibling's cancellation is not the failure");
        assertEquals("mirror 1", race.join());
    }

    @Test
    void raceFailsWithTheFirstFailureAndTheOthersSuppressedWhenAllFail() {
        IOException first = new IOException("first");
        IOException second = new IOException("second");
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        CompletableFuture<String> race = Coroutines.race(List.of(a, b));

        b.completeExceptionally(second);
        a.completeExceptionally(first);

        ExecutionException thrown = assertThrows(ExecutionException.class, race::get);
        assertSame(first, thrown.getCause(), "input order decides which failure leads");
        assertArrayEquals(new Throwable[] {second}, first.getSuppressed());
    }

    @Test
    void raceOfNothingIsRefused() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Coroutines.race(new ArrayList<CompletableFuture<String>>()));

        assertTrue(thrown.getMessage().contains("at least one"));
    }
}
