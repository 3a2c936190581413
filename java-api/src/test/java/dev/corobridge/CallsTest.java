package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class CallsTest {
    /** Calls whose stages the test completes by hand, and a latch that opens once {@code expected} have started. */
    private static final class PendingCalls {
        final ConcurrentHashMap<Integer, CompletableFuture<Integer>> stages = new ConcurrentHashMap<>();
        final CountDownLatch started;

        PendingCalls(int expected) {
            started = new CountDownLatch(expected);
        }

        CompletableFuture<Integer> call(int input) {
            CompletableFuture<Integer> stage = new CompletableFuture<>();
            stages.put(input, stage);
            started.countDown();
            return stage;
        }

        void awaitStarted() throws InterruptedException {
            assertTrue(started.await(5, TimeUnit.SECONDS), "the calls did not start");
        }
    }

    private static Iterator<Integer> counting(int size, AtomicInteger pulled) {
        Iterator<Integer> inputs = IntStream.range(0, size).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return inputs.hasNext();
            }

            @Override
            public Integer next() {
                pulled.incrementAndGet();
                return inputs.next();
            }
        };
    }

    @Test
    void valuesComeInInputOrderWhateverOrderTheCallsCompleteIn() throws InterruptedException {
        PendingCalls calls = new PendingCalls(5);
        Task<List<Integer>> run = Calls.over(List.of(0, 1, 2, 3, 4)).concurrency(5).map(calls::call);
        calls.awaitStarted();

        for (int input = 4; input >= 0; input--) {
            calls.stages.get(input).complete(input * 10);
        }

        assertEquals(List.of(0, 10, 20, 30, 40), run.join());
    }

    @Test
    void neverMoreCallsInFlightThanTheConcurrency() {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostActive = new AtomicInteger();

        List<Integer> values = Calls.over(IntStream.range(0, 200).boxed().toList()).concurrency(4).map(input -> {
            mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            return Coroutines.sleep(Duration.ofMillis(1)).thenApply(ignored -> {
                active.decrementAndGet();
                return input;
            });
        }).join();

        assertEquals(IntStream.range(0, 200).boxed().toList(), values);
        assertTrue(mostActive.get() <= 4, mostActive.get() + " calls were in flight at once");
    }

    @Test
    void inputsArePulledOnlyWhenASlotIsFree() throws InterruptedException {
        AtomicInteger pulled = new AtomicInteger();
        PendingCalls calls = new PendingCalls(3);
        Task<List<Integer>> run = Calls.over(counting(1_000_000, pulled)).concurrency(3).map(calls::call);
        calls.awaitStarted();

        int pulledWhileBusy = pulled.get();
        run.cancelAndJoin().join();

        assertEquals(3, pulledWhileBusy);
        assertEquals(3, pulled.get());
    }

    @Test
    void theFirstFailureFailsTheRunAsItselfCancelsTheCallsInFlightAndStopsPulling() throws InterruptedException {
        AtomicInteger pulled = new AtomicInteger();
        PendingCalls calls = new PendingCalls(3);
        Task<List<Integer>> run = Calls.over(counting(100, pulled)).concurrency(3).map(calls::call);
        calls.awaitStarted();
        IllegalStateException boom = new IllegalStateException("boom");

        calls.stages.get(1).completeExceptionally(boom);

        CompletionException failure = assertThrows(CompletionException.class, run::join);
        assertSame(boom, failure.getCause());
        run.cancelAndJoin().join();
        assertTrue(calls.stages.get(0).isCancelled());
        assertTrue(calls.stages.get(2).isCancelled());
        assertEquals(3, pulled.get());
    }

    @Test
    void cancellingTheRunCancelsTheCallsInFlight() throws InterruptedException {
        PendingCalls calls = new PendingCalls(2);
        Task<List<Integer>> run = Calls.over(List.of(0, 1, 2)).concurrency(2).map(calls::call);
        calls.awaitStarted();

        run.cancelAndJoin().join();

        assertTrue(run.isCancelled());
        assertTrue(calls.stages.get(0).isCancelled());
        assertTrue(calls.stages.get(1).isCancelled());
        assertFalse(calls.stages.containsKey(2));
    }

    @Test
    void aFunctionThatThrowsFailsItsCall() {
        IllegalArgumentException bad = new IllegalArgumentException("bad input 2");

        List<Outcome<Integer>> outcomes = Calls.over(List.of(1, 2, 3)).mapSettled(input -> {
            if (input == 2) {
                throw bad;
            }
            return CompletableFuture.completedFuture(input);
        }).join();

        assertEquals(Outcome.success(1), outcomes.get(0));
        assertSame(bad, outcomes.get(1).failure());
        assertEquals(Outcome.success(3), outcomes.get(2));
    }

    @Test
    void mapSettledGivesEveryInputAnOutcomeInInputOrder() {
        List<Integer> inputs = IntStream.range(0, 50).boxed().toList();

        List<Outcome<Integer>> outcomes = Calls.over(inputs).concurrency(7).mapSettled(input -> input % 5 == 0
                ? CompletableFuture.<Integer>failedFuture(new IllegalStateException("no " + input))
                : Coroutines.sleep(Duration.ofMillis(input % 3)).thenApply(ignored -> input)).join();

        assertEquals(50, outcomes.size());
        for (int input = 0; input < 50; input++) {
            Outcome<Integer> outcome = outcomes.get(input);
            if (input % 5 == 0) {
                assertEquals("no " + input, outcome.failure().getMessage());
            } else {
                assertEquals(input, outcome.value());
            }
        }
    }

    @Test
    void mapUnorderedYieldsValuesInCompletionOrder() throws InterruptedException {
        PendingCalls calls = new PendingCalls(3);
        Generator<Integer> values = Calls.over(List.of(0, 1, 2)).concurrency(3).mapUnordered(calls::call);
        calls.awaitStarted();
        List<Integer> seen = new ArrayList<>();

        for (int input : new int[] {2, 0, 1}) {
            calls.stages.get(input).complete(input);
            seen.add(values.next().join().orElseThrow());
        }

        assertEquals(List.of(2, 0, 1), seen);
        assertEquals(Optional.empty(), values.next().join());
    }

    @Test
    void mapUnorderedEndsWithTheFirstFailureAfterTheValuesBeforeIt() throws InterruptedException {
        PendingCalls calls = new PendingCalls(2);
        Generator<Integer> values = Calls.over(List.of(0, 1)).concurrency(2).mapUnordered(calls::call);
        calls.awaitStarted();
        IllegalStateException boom = new IllegalStateException("boom");

        calls.stages.get(1).complete(1);
        int first = values.next().join().orElseThrow();
        calls.stages.get(0).completeExceptionally(boom);

        assertEquals(1, first);
        CompletionException failure = assertThrows(CompletionException.class, () -> values.next().join());
        assertSame(boom, failure.getCause());
    }

    @Test
    void closingTheUnorderedGeneratorCancelsTheCallsInFlight() throws InterruptedException {
        PendingCalls calls = new PendingCalls(2);
        Generator<Integer> values = Calls.over(List.of(0, 1, 2)).concurrency(2).mapUnordered(calls::call);
        calls.awaitStarted();

        values.close();

        calls.stages.get(0).handle((value, failure) -> null).join();
        calls.stages.get(1).handle((value, failure) -> null).join();
        assertTrue(calls.stages.get(0).isCancelled());
        assertTrue(calls.stages.get(1).isCancelled());
    }

    @Test
    void mapUnorderedHoldsBackTheRunUntilTheConsumerTakesValues() throws InterruptedException {
        AtomicInteger pulled = new AtomicInteger();
        CountDownLatch twoStarted = new CountDownLatch(2);
        Generator<Integer> values = Calls.over(counting(1_000, pulled)).concurrency(2).mapUnordered(input -> {
            twoStarted.countDown();
            return CompletableFuture.completedFuture(input);
        });
        assertTrue(twoStarted.await(5, TimeUnit.SECONDS));

        int pulledBeforeConsuming = pulled.get();
        values.next().join();
        values.close();

        assertTrue(pulledBeforeConsuming <= 3, pulledBeforeConsuming + " inputs pulled with nobody consuming");
    }

    @Test
    void progressCountsEveryCallAndIsNeverReportedConcurrently() {
        List<Progress> reports = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();

        Calls.over(IntStream.range(0, 60).boxed().toList()).concurrency(8)
                .onProgress(progress -> {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    reports.add(progress);
                    inside.decrementAndGet();
                })
                .mapSettled(input -> CompletableFuture.supplyAsync(() -> {
                    if (input % 4 == 0) {
                        throw new IllegalStateException("no " + input);
                    }
                    return input;
                })).join();

        assertEquals(60, reports.size());
        assertEquals(new Progress(45, 15, 0, 60), reports.get(59));
        assertEquals(1, mostInside.get());
        for (int i = 0; i < reports.size(); i++) {
            Progress progress = reports.get(i);
            assertEquals(i + 1, progress.completed() + progress.failed(), "snapshots out of order: " + reports);
            assertEquals(OptionalLong.of(60), progress.total());
        }
    }

    @Test
    void progressLearnsTheTotalOfAnIteratorOnceItRunsOut() throws Exception {
        List<Progress> reports = Collections.synchronizedList(new ArrayList<>());

        // On run's single-threaded loop the feeder takes the free fourth slot and finds the end
        // of the iterator before any call coroutine has even started: no timing involved.
        Coroutines.run(scope -> Calls.over(List.of(1, 2, 3).iterator()).concurrency(4).onProgress(reports::add)
                .map(input -> Coroutines.sleep(Duration.ofMillis(input)).thenApply(ignored -> input)));

        assertEquals(3, reports.size());
        assertTrue(reports.stream().allMatch(progress -> progress.total().equals(OptionalLong.of(3))),
                "a free slot found the iterator's end before any call ended: " + reports);
        assertEquals(new Progress(3, 0, 0, 3), reports.get(2));
    }

    @Test
    void insideRunEveryCallStartsOnTheCallingThread() throws Exception {
        Thread caller = Thread.currentThread();
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

        List<Integer> values = Coroutines.run(scope -> Calls.over(List.of(1, 2, 3)).concurrency(2).map(input -> {
            threads.add(Thread.currentThread());
            return Coroutines.sleep(Duration.ofMillis(1)).thenApply(ignored -> input);
        }));

        assertEquals(List.of(1, 2, 3), values);
        assertTrue(threads.stream().allMatch(thread -> thread == caller), "calls ran on " + threads);
    }

    @Test
    void aPlanIsImmutableAndOverAnIterableRunsAgain() {
        Calls<Integer> plan = Calls.over(List.of(1, 2, 3));

        Calls<Integer> narrow = plan.concurrency(1);
        List<Integer> first = plan.map(CompletableFuture::completedFuture).join();
        List<Integer> second = narrow.map(CompletableFuture::completedFuture).join();

        assertEquals(List.of(1, 2, 3), first);
        assertEquals(List.of(1, 2, 3), second);
        assertTrue(plan.toString().contains("concurrency=16"), plan.toString());
        assertTrue(narrow.toString().contains("concurrency=1"), narrow.toString());
    }

    @Test
    void aPlanOverAnIteratorRunsOnlyOnce() {
        Calls<Integer> plan = Calls.over(List.of(1, 2).iterator());
        plan.map(CompletableFuture::completedFuture).join();

        IllegalStateException again = assertThrows(IllegalStateException.class, () -> plan.map(CompletableFuture::completedFuture));

        assertTrue(again.getMessage().contains("Iterator"), again.getMessage());
    }

    @Test
    void anIteratorThatThrowsFailsTheRunWithItsException() {
        IllegalStateException broken = new IllegalStateException("broken source");
        Iterator<Integer> inputs = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                throw broken;
            }
        };

        CompletionException failure = assertThrows(CompletionException.class,
                () -> Calls.over(inputs).mapSettled(CompletableFuture::completedFuture).join());

        assertSame(broken, failure.getCause());
    }

    @Test
    void aRunWithRetryRetriesEachCallInItsSlot() {
        ConcurrentHashMap<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(2).backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build();

        List<Integer> values = Calls.over(List.of(1, 2, 3)).retry(retry).map(input ->
                attempts.computeIfAbsent(input, key -> new AtomicInteger()).incrementAndGet() == 1
                        ? CompletableFuture.<Integer>failedFuture(new IllegalStateException("first attempt"))
                        : CompletableFuture.completedFuture(input)).join();

        assertEquals(List.of(1, 2, 3), values);
        assertTrue(attempts.values().stream().allMatch(count -> count.get() == 2));
    }

    @Test
    void aNullValueFailsMapUnordered() {
        Generator<Object> values = Calls.over(List.of(1)).mapUnordered(input -> CompletableFuture.completedFuture(null));

        CompletionException failure = assertThrows(CompletionException.class, () -> values.next().join());

        assertInstanceOf(NullPointerException.class, failure.getCause());
    }

    @Test
    void badInputFailsAtTheCall() {
        Calls<Integer> plan = Calls.over(List.of(1));

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> plan.concurrency(0));
        assertEquals("concurrency must be > 0, was 0", zero.getMessage());
        assertEquals("inputs", assertThrows(NullPointerException.class, () -> Calls.over((Iterable<Integer>) null)).getMessage());
        assertEquals("inputs", assertThrows(NullPointerException.class, () -> Calls.over((Iterator<Integer>) null)).getMessage());
        assertEquals("limiter", assertThrows(NullPointerException.class, () -> plan.rateLimit(null)).getMessage());
        assertEquals("policy", assertThrows(NullPointerException.class, () -> plan.retry(null)).getMessage());
        assertEquals("callback", assertThrows(NullPointerException.class, () -> plan.onProgress(null)).getMessage());
        assertEquals("function", assertThrows(NullPointerException.class, () -> plan.map(null)).getMessage());
        assertEquals("function", assertThrows(NullPointerException.class, () -> plan.mapSettled(null)).getMessage());
        assertEquals("function", assertThrows(NullPointerException.class, () -> plan.mapUnordered(null)).getMessage());
    }
}
