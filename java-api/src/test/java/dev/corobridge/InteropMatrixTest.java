package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Stress;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every entry point that returns a future, crossed with every way its future can end: success,
 * failure, the caller's {@code cancel()}, and an external {@code complete()}. In each cell the
 * future ends as documented, with the original exception and no {@code CompletionException} or
 * {@code ExecutionException} wrapper added by the library, and nothing leaks ({@link NoLeaks}).
 *
 * <p>Rows are table entries: an entry point is a function from the stage its work waits on to the
 * future it returns. Add a row for each new entry point.
 */
@ExtendWith(NoLeaks.class)
class InteropMatrixTest {

    /** An entry point, seen as: the stage its work waits on → the future the caller holds. */
    private record EntryPoint(String name, Function<CompletableFuture<String>, CompletableFuture<String>> start) {}

    private static List<EntryPoint> entryPoints() {
        return List.of(
                new EntryPoint("Coroutines.async", inner -> Coroutines.async(() -> inner)),
                new EntryPoint("Coroutines.asyncBlocking", inner -> Coroutines.asyncBlocking(() -> Coroutines.await(inner))),
                new EntryPoint("Coroutines.timeout", inner -> Coroutines.timeout(Duration.ofHours(1), () -> inner)),
                new EntryPoint("Coroutines.taskGroup", inner -> Coroutines.taskGroup(scope -> scope.async(() -> inner))),
                new EntryPoint("Coroutines.supervisor", inner -> Coroutines.supervisor(scope -> inner)),
                new EntryPoint("Coroutines.call", inner -> Coroutines.call(continuation -> Suspend.await(inner, continuation))),
                new EntryPoint("TaskScope.async", inner -> inScope(scope -> scope.async(() -> inner))),
                new EntryPoint("TaskScope.asyncBlocking", inner -> inScope(scope -> scope.asyncBlocking(() -> Coroutines.await(inner)))),
                new EntryPoint("TaskScope.call", inner -> inScope(scope -> scope.call(continuation -> Suspend.await(inner, continuation)))),
                new EntryPoint("gather", inner -> Coroutines.<String>gather(List.of(inner)).thenApply(list -> list.get(0))),
                new EntryPoint("race", inner -> Coroutines.race(List.of(inner))),
                new EntryPoint("AsyncChannel.receive", inner -> {
                    AsyncChannel<String> channel = AsyncChannel.rendezvous();
                    inner.whenComplete((value, failure) -> {
                        if (failure != null) {
                            channel.close(failure);
                        } else {
                            channel.trySend(value);
                        }
                    });
                    return channel.receive();
                }),
                new EntryPoint("Generator.next", inner -> {
                    Generator<String> generator = Generator.of(yielder -> yielder.yield(Coroutines.await(inner)));
                    CompletableFuture<String> next = generator.next().thenApply(Optional::orElseThrow);
                    next.whenComplete((value, failure) -> generator.closeAsync());
                    return next;
                }));
    }

    /** A child of a scope that is closed once the child has ended. */
    private static CompletableFuture<String> inScope(Function<TaskScope, CompletableFuture<String>> start) {
        TaskScope scope = TaskScope.open();
        CompletableFuture<String> child = start.apply(scope);
        child.whenComplete((value, failure) -> scope.cancel());
        return child;
    }

    @TestFactory
    Stream<DynamicTest> successGivesTheValue() {
        return entryPoints().stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            CompletableFuture<String> inner = new CompletableFuture<>();
            CompletableFuture<String> outer = entry.start().apply(inner);

            inner.complete("value");

            assertEquals("value", outer.get(5, TimeUnit.SECONDS));
        }));
    }

    @TestFactory
    Stream<DynamicTest> failureGivesTheOriginalExceptionUnwrapped() {
        return entryPoints().stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            CompletableFuture<String> inner = new CompletableFuture<>();
            CompletableFuture<String> outer = entry.start().apply(inner);
            IOException failure = new IOException("refused");

            inner.completeExceptionally(failure);

            ExecutionException thrown = assertThrows(ExecutionException.class, () -> outer.get(5, TimeUnit.SECONDS));
            Throwable cause = thrown.getCause();
            if (entry.name().equals("gather") || entry.name().equals("Generator.next")) {
                cause = cause instanceof CompletionException ? cause.getCause() : cause; // thenApply, the test's own stage
            }
            assertSame(failure, cause, "the original exception, not a wrapper");
        }));
    }

    @TestFactory
    Stream<DynamicTest> callerCancelEndsTheFutureCancelled() {
        return entryPoints().stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            CompletableFuture<String> inner = new CompletableFuture<>();
            CompletableFuture<String> outer = entry.start().apply(inner);

            boolean cancelled = outer.cancel(true);
            inner.cancel(false); // whatever still waits on it ends

            assertTrue(cancelled);
            assertTrue(outer.isCancelled());
            assertThrows(CancellationException.class, () -> outer.get(5, TimeUnit.SECONDS));
        }));
    }

    @TestFactory
    Stream<DynamicTest> externalCompleteWinsAndStopsTheWork() {
        return entryPoints().stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            CompletableFuture<String> inner = new CompletableFuture<>();
            CompletableFuture<String> outer = entry.start().apply(inner);

            boolean completed = outer.complete("from outside");
            inner.cancel(false); // a plain dependent stage does not stop the work: the test ends it

            assertTrue(completed);
            assertEquals("from outside", outer.get(5, TimeUnit.SECONDS));
        }));
    }

    @Test
    void scopeCancelCancelsEveryChildKind() throws Exception {
        TaskScope scope = TaskScope.open();
        CompletableFuture<String> never = new CompletableFuture<>();
        CountDownLatch blockingStarted = new CountDownLatch(1);
        List<Task<String>> children = List.of(
                scope.async(() -> never),
                scope.asyncBlocking(() -> {
                    blockingStarted.countDown();
                    return Coroutines.await(new CompletableFuture<String>());
                }),
                scope.call(continuation -> Suspend.await(new CompletableFuture<String>(), continuation)));
        assertTrue(blockingStarted.await(5, TimeUnit.SECONDS));

        scope.close();

        for (Task<String> child : children) {
            assertTrue(child.isCancelled(), child.toString());
        }
    }

    @Test
    void oneHundredThousandDependentsOnOneTaskRunWithoutStackOverflow() throws Exception {
        CompletableFuture<String> inner = new CompletableFuture<>();
        Task<String> task = Coroutines.async(() -> inner);
        int dependents = 100_000;
        List<CompletableFuture<Integer>> chain = new ArrayList<>(dependents);
        CompletableFuture<Integer> last = task.thenApply(String::length);
        for (int i = 0; i < dependents; i++) {
            chain.add(task.thenApply(String::length));
            last = last.thenApply(n -> n);
        }

        inner.complete("done");

        assertEquals(4, last.get(10, TimeUnit.SECONDS));
        assertTrue(chain.stream().allMatch(each -> each.join() == 4));
    }

    /** kotlinx.coroutines#892: a failure racing the deadline ends as that failure or a timeout, never lost. */
    @Test
    void aFailureRacingTheDeadlineIsNeverLostNorABareCancellation() throws Exception {
        int runs = Stress.times(1_000);
        int failures = 0;
        int timeouts = 0;

        for (int i = 0; i < runs; i++) {
            IOException failure = new IOException("refused " + i);
            CompletableFuture<String> answer = new CompletableFuture<>();
            Task<String> task = Coroutines.timeout(Duration.ofNanos(200_000), () -> answer);
            answer.completeExceptionally(failure);

            ExecutionException thrown = assertThrows(ExecutionException.class, () -> task.get(5, TimeUnit.SECONDS));
            Throwable cause = thrown.getCause();
            if (cause == failure) {
                failures++;
            } else {
                assertInstanceOf(TimeoutException.class, cause, "run " + i + ": neither the failure nor a timeout");
                timeouts++;
            }
        }

        assertEquals(runs, failures + timeouts);
        System.out.println("timeout-vs-failure race: " + runs + " runs, " + failures + " failures, " + timeouts + " timeouts");
    }

    @Test
    void fourConcurrentFailuresInAGroupGiveOneCauseAndThreeSuppressed() throws Exception {
        int runs = Stress.times(200);

        for (int run = 0; run < runs; run++) {
            CountDownLatch allStarted = new CountDownLatch(4);
            CompletableFuture<Void> go = new CompletableFuture<>();
            IOException[] failures = new IOException[4];
            Task<Void> group = Coroutines.taskGroup(scope -> {
                for (int i = 0; i < 4; i++) {
                    IOException failure = new IOException("child " + i);
                    failures[i] = failure;
                    scope.asyncBlocking(() -> {
                        allStarted.countDown();
                        go.join();
                        throw failure;
                    });
                }
                return CompletableFuture.completedFuture(null);
            });
            assertTrue(allStarted.await(5, TimeUnit.SECONDS));

            go.complete(null);

            ExecutionException thrown = assertThrows(ExecutionException.class, () -> group.get(5, TimeUnit.SECONDS));
            Throwable cause = thrown.getCause();
            List<Throwable> all = new ArrayList<>();
            all.add(cause);
            all.addAll(Arrays.asList(cause.getSuppressed()));
            assertTrue(Arrays.asList(failures).contains(cause), "run " + run + ": the cause is one of the failures: " + cause);
            assertEquals(all.stream().distinct().count(), all.size(), "run " + run + ": a failure appears twice: " + all);
            assertTrue(all.size() <= 4, "run " + run + ": more than the four failures: " + all);
            assertTrue(all.stream().allMatch(each -> Arrays.asList(failures).contains(each)),
                    "run " + run + ": something else than the failures: " + all);
        }
    }
}
