package dev.corobridge;

import static dev.corobridge.AsyncChannelTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.AsyncChannelTest.Recorder;
import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Steps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class GeneratorTest {

    @Test
    void forEachRunsAnUnstartedGeneratorInlineOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        List<String> events = new ArrayList<>();
        Generator<Integer> numbers = Generator.of(yielder -> {
            for (int i = 1; i <= 3; i++) {
                events.add("made " + i + (Thread.currentThread() == caller ? " here" : " elsewhere"));
                yielder.yield(i);
            }
        });

        numbers.forEach(i -> events.add("got " + i));

        assertEquals(List.of("made 1 here", "got 1", "made 2 here", "got 2", "made 3 here", "got 3"), events);
        assertEquals(Optional.empty(), numbers.next().join(), "forEach closed it");
    }

    @Test
    void anInlineForEachWhoseActionThrowsRunsTheProducersFinallyAndThrowsTheActionsException() {
        List<String> events = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("consumer broke");
        Generator<Integer> numbers = Generator.of(yielder -> {
            try {
                for (int i = 1; ; i++) {
                    yielder.yield(i);
                }
            } finally {
                events.add("producer finally");
            }
        });

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> numbers.forEach(i -> {
            if (i == 2) {
                throw failure;
            }
        }));

        assertSame(failure, thrown);
        assertEquals(List.of("producer finally"), events);
    }

    @Test
    void closingFromAnotherThreadEndsAnInlineForEachAtTheNextYield() throws Exception {
        List<Integer> got = new ArrayList<>();
        AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();
        Generator<Integer> numbers = Generator.of(yielder -> {
            for (int i = 1; ; i++) {
                yielder.yield(i);
            }
        });

        numbers.forEach(i -> {
            got.add(i);
            Thread closer = new Thread(() -> closing.set(numbers.closeAsync()));
            closer.start();
            try {
                closer.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });

        assertEquals(List.of(1), got);
        closing.get().get(5, TimeUnit.SECONDS);
    }

    @Test
    void anInlineForEachThrowsTheProducersOriginalCheckedException() {
        java.io.IOException failure = new java.io.IOException("disk gone");
        Generator<Integer> numbers = Generator.of(yielder -> {
            yielder.yield(1);
            throw failure;
        });

        Throwable thrown = assertThrows(java.io.IOException.class, () -> numbers.forEach(i -> { }));

        assertSame(failure, thrown);
    }

    @ParameterizedTest(name = "by iterator: {0}")
    @ValueSource(booleans = {false, true})
    void withoutABufferNothingIsMadeBeforeItIsAskedForAsInPython(boolean byIterator) throws Exception {
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Generator<Integer> numbers = Generator.of(yielder -> {
            for (int i = 1; i <= 3; i++) {
                events.add("made " + i);
                yielder.yield(i);
            }
        })) {
            Iterator<Integer> elements = numbers.iterator();
            java.util.concurrent.Callable<Integer> take = byIterator ? elements::next
                    : () -> numbers.next().get(5, TimeUnit.SECONDS).orElseThrow();
            assertEquals(1, take.call());
            events.add("got 1");
            assertEquals(2, take.call());
            events.add("got 2");
        }

        assertEquals(List.of("made 1", "got 1", "made 2", "got 2"), events);
    }

    private static Generator<Integer> counting(int limit, AtomicInteger produced, int bufferSize) {
        return Generator.of(bufferSize, yielder -> {
            for (int i = 0; i < limit; i++) {
                produced.incrementAndGet();
                yielder.yield(i);
            }
        });
    }

    @Test
    void nextGivesTheElementsInOrderThenAnEmptyOptionalAtTheEnd() {
        try (Generator<String> generator = Generator.of(yielder -> {
            yielder.yield("something");
            yielder.yield("other thing");
        })) {

            List<Optional<String>> seen = List.of(generator.next().join(), generator.next().join(), generator.next().join());

            assertEquals(List.of(Optional.of("something"), Optional.of("other thing"), Optional.empty()), seen);
        }
    }

    @Test
    void theBodyStartsOnlyWhenTheFirstElementIsAskedFor() {
        Steps steps = new Steps();
        try (Generator<String> generator = Generator.of(yielder -> {
            steps.expect(2);
            yielder.yield("first");
        })) {
            steps.expect(1);

            String first = generator.next().join().orElseThrow();

            steps.finish(3);
            assertEquals("first", first);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16})
    void producerNeverRunsMoreThanItsBufferPlusOneAhead(int bufferSize) {
        AtomicInteger produced = new AtomicInteger();
        try (Generator<Integer> generator = counting(1_000_000, produced, bufferSize)) {
            Iterator<Integer> elements = generator.iterator();

            for (int i = 0; i < 10; i++) {
                assertEquals(i, elements.next());
            }

            assertTrue(produced.get() <= 10 + bufferSize + 1,
                    "produced " + produced.get() + " with buffer " + bufferSize + " after 10 were consumed");
        }
        assertTrue(produced.get() <= 10 + bufferSize + 1, "closing must not let the producer run on");
    }

    /** Paced (0), the yield waits for demand; buffered, it waits for room in a full buffer. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16})
    void closeInterruptsTheWaitingYieldAndRunsTheProducersFinally(int bufferSize) {
        AtomicBoolean finallyRan = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        Generator<Integer> generator = Generator.of(bufferSize, yielder -> {
            try {
                for (int i = 0; ; i++) {
                    yielder.yield(i);
                }
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            } finally {
                finallyRan.set(true);
            }
        });
        assertEquals(Optional.of(0), generator.next().join());

        generator.close();

        assertTrue(interrupted.get(), "the waiting yield must be interrupted");
        assertTrue(finallyRan.get(), "close must wait for the producer's finally");
        assertEquals(Optional.empty(), generator.next().join());
    }

    @Test
    void closeBeforeTheFirstElementNeverRunsTheBody() {
        AtomicBoolean ran = new AtomicBoolean();
        Generator<String> generator = Generator.of(yielder -> ran.set(true));

        generator.close();

        assertEquals(Optional.empty(), generator.next().join());
        assertFalse(ran.get());
    }

    @Test
    void closingTheStreamClosesTheGenerator() throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        Generator<Integer> generator = Generator.of(yielder -> {
            try {
                for (int i = 0; ; i++) {
                    yielder.yield(i);
                }
            } finally {
                finished.countDown();
            }
        });

        List<Integer> firstThree;
        try (Stream<Integer> numbers = generator.stream()) {
            firstThree = numbers.limit(3).toList();
        }

        assertEquals(List.of(0, 1, 2), firstThree);
        assertTrue(finished.await(10, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), generator.next().join());
    }

    @Test
    void producerFailureReachesTheConsumerAsTheOriginalExceptionAfterTheElementsBeforeIt() {
        IOException failure = new IOException("disk gone");
        Generator<String> generator = Generator.of(yielder -> {
            yielder.yield("before");
            throw failure;
        });

        String first = generator.next().join().orElseThrow();
        Throwable seen = failureOf(generator.next());

        assertEquals("before", first);
        assertSame(failure, seen);
        generator.close();
    }

    @Test
    void producerFailureIsThrownAsItIsByTheIterator() {
        IOException failure = new IOException("disk gone");
        try (Generator<String> generator = Generator.of(yielder -> {
            throw failure;
        })) {
            Iterator<String> elements = generator.iterator();

            IOException thrown = assertThrows(IOException.class, elements::hasNext);

            assertSame(failure, thrown);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4})
    void anInterruptedIteratorWaitLeavesItsElementForTheNextCall(int bufferSize) {
        CountDownLatch produce = new CountDownLatch(1);
        try (Generator<Integer> numbers = Generator.of(bufferSize, yielder -> {
            produce.await();
            yielder.yield(1);
            yielder.yield(2);
        })) {
            Iterator<Integer> elements = numbers.iterator();

            Thread.currentThread().interrupt();
            CancellationException thrown = assertThrows(CancellationException.class, elements::hasNext);
            boolean flagKept = Thread.interrupted();
            produce.countDown();
            List<Integer> rest = new ArrayList<>();
            elements.forEachRemaining(rest::add);

            assertTrue(flagKept, "the interrupt flag must be kept");
            assertInstanceOf(InterruptedException.class, thrown.getCause());
            assertEquals(List.of(1, 2), rest);
        }
    }

    @Test
    void anUnboundedGeneratorsProducerRunsToItsEndWithoutWaitingForTheConsumer() throws Exception {
        int count = 1_000;
        CountDownLatch producerDone = new CountDownLatch(1);
        try (Generator<Integer> numbers = Generator.of(Integer.MAX_VALUE, yielder -> {
            for (int i = 1; i <= count; i++) {
                yielder.yield(i);
            }
            producerDone.countDown();
        })) {
            assertEquals(Optional.of(1), numbers.next().get(10, TimeUnit.SECONDS), "the first request starts the producer");

            assertTrue(producerDone.await(10, TimeUnit.SECONDS), "all elements made with 1 consumed");
            assertEquals(IntStream.rangeClosed(2, count).boxed().toList(), numbers.toList().get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * The kinds of generator, each over the given body: paced, on a ring of one array, on an
     * unbounded ring, on a ring of several arrays, and from a Kotlin flow.
     */
    static Stream<Named<Function<Generator.Body<Integer>, Generator<Integer>>>> kinds() {
        return Stream.of(
                Named.of("of(body)", body -> Generator.of(body)),
                Named.of("of(4, body)", body -> Generator.of(4, body)),
                Named.of("of(Integer.MAX_VALUE, body)", body -> Generator.of(Integer.MAX_VALUE, body)),
                Named.of("of(2000, body)", body -> Generator.of(2_000, body)),
                Named.of("from(flow)", body -> Generator.from(Generator.of(body).toFlow())));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aNextWhoseTaskIsCancelledWhileItWaitsLeavesItsElementForTheNextCall(Function<Generator.Body<Integer>, Generator<Integer>> kind)
            throws Exception {
        CountDownLatch produce = new CountDownLatch(1);
        try (Generator<Integer> numbers = kind.apply(oneAndTwoAfter(produce))) {
            Task<Optional<Integer>> waiting = waitingForTheFirst(numbers);

            waiting.cancelAndJoin().join();
            produce.countDown();

            assertTrue(waiting.isCancelled());
            assertEquals(Optional.of(1), numbers.next().get(10, TimeUnit.SECONDS));
            assertEquals(Optional.of(2), numbers.next().get(10, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), numbers.next().get(10, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aNextWhoseTaskIsCancelledGivesItsWaitUpBeforeTheCancelReturns(Function<Generator.Body<Integer>, Generator<Integer>> kind)
            throws Exception {
        CountDownLatch produce = new CountDownLatch(1);
        try (Generator<Integer> numbers = kind.apply(oneAndTwoAfter(produce))) {
            Task<Optional<Integer>> waiting = waitingForTheFirst(numbers);

            waiting.cancel(true); // no join: the task's coroutine may still be ending on another thread
            produce.countDown();

            assertEquals(Optional.of(1), numbers.next().get(10, TimeUnit.SECONDS), "the next call has the element the cancelled one waited for");
            assertEquals(Optional.of(2), numbers.next().get(10, TimeUnit.SECONDS));
        }
    }

    /** A producer of 1 and 2 once {@code produce} is counted down. */
    private static Generator.Body<Integer> oneAndTwoAfter(CountDownLatch produce) {
        return yielder -> {
            produce.await();
            yielder.yield(1);
            yielder.yield(2);
        };
    }

    /** A task that has asked {@code numbers} for an element and waits for it, by the time this returns. */
    private static Task<Optional<Integer>> waitingForTheFirst(Generator<Integer> numbers) throws InterruptedException {
        CountDownLatch asked = new CountDownLatch(1);
        Task<Optional<Integer>> waiting = Coroutines.async(() -> {
            CompletableFuture<Optional<Integer>> first = numbers.next();
            asked.countDown();
            return first.thenApply(element -> element); // the task owns this stage, not next()'s own future
        });
        asked.await();
        return waiting;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    // A guard, not a measure: an unbounded producer that missed the end would run on, and run would never return.
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aGeneratorStartedInsideRunEndsPlainlyWhenRunReturns(Function<Generator.Body<Integer>, Generator<Integer>> kind) throws Exception {
        AtomicInteger finallyRuns = new AtomicInteger();
        AtomicReference<Generator<Integer>> started = new AtomicReference<>();

        Optional<Integer> first = Coroutines.run(scope -> {
            started.set(kind.apply(yielder -> {
                try {
                    for (int i = 1; ; i++) {
                        yielder.yield(i);
                    }
                } finally {
                    finallyRuns.incrementAndGet();
                }
            }));
            return started.get().next();
        });
        int finallyRunsWhenRunReturned = finallyRuns.get();
        try (Generator<Integer> counter = started.get()) {
            List<Integer> rest = counter.toList().get(10, TimeUnit.SECONDS);

            assertEquals(Optional.of(1), first);
            assertEquals(1, finallyRunsWhenRunReturned, "run returns after the producer's finally block");
            for (int i = 0; i < rest.size(); i++) {
                assertEquals(i + 2, rest.get(i), () -> "the elements made before the end follow on, then the sequence ends: " + rest);
            }
        }
    }

    @Test
    void forEachVisitsEveryElementOnTheCallingThread() {
        List<Integer> seen = new ArrayList<>();
        Generator<Integer> generator = counting(5, new AtomicInteger(), 0);

        generator.forEach(seen::add);

        assertEquals(List.of(0, 1, 2, 3, 4), seen);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 64})
    void aBufferedForEachGetsEveryElementInOrderWithTheProducerNeverMoreThanItsBufferAhead(int bufferSize) {
        int count = 20_000;
        AtomicInteger returnedYields = new AtomicInteger();
        List<Integer> got = new ArrayList<>();
        List<String> overruns = new ArrayList<>();
        Generator<Integer> numbers = Generator.of(bufferSize, yielder -> {
            for (int i = 0; i < count; i++) {
                yielder.yield(i);
                returnedYields.incrementAndGet();
            }
        });

        numbers.forEach(i -> {
            got.add(i);
            int ahead = returnedYields.get() - got.size();
            if (ahead > bufferSize) {
                overruns.add("after " + got.size() + " received, " + ahead + " more yields had returned");
            }
        });

        assertEquals(count, got.size());
        for (int i = 0; i < count; i++) {
            assertEquals(i, got.get(i), "out of order, skipped or repeated");
        }
        assertEquals(List.of(), overruns, "buffer " + bufferSize + " exceeded");
    }

    @Test
    void aBufferedForEachThrowsTheProducersOriginalCheckedExceptionAfterTheElementsBeforeIt() {
        IOException failure = new IOException("disk gone");
        List<Integer> got = new ArrayList<>();
        Generator<Integer> numbers = Generator.of(2, yielder -> {
            for (int i = 0; i < 5; i++) {
                yielder.yield(i);
            }
            throw failure;
        });

        IOException thrown = assertThrows(IOException.class, () -> numbers.forEach(got::add));

        assertSame(failure, thrown);
        assertEquals(List.of(0, 1, 2, 3, 4), got);
    }

    @Test
    void anInterruptedBufferedForEachThrowsCancellationKeepsTheFlagAndRunsTheProducersFinally() {
        AtomicBoolean finallyRan = new AtomicBoolean();
        Generator<Integer> numbers = yieldsOneThenBlocks(finallyRan);

        CancellationException thrown = assertThrows(CancellationException.class,
                () -> numbers.forEach(i -> Thread.currentThread().interrupt())); // it then waits for a second element
        boolean flagKept = Thread.interrupted();

        assertTrue(flagKept, "the interrupt flag must be kept");
        assertInstanceOf(InterruptedException.class, thrown.getCause());
        assertTrue(finallyRan.get(), "forEach closes the generator, which waits for the producer's finally");
    }

    @Test
    void closingFromAnotherThreadEndsABufferedForEachThatWaitsForAnElement() throws Exception {
        AtomicBoolean finallyRan = new AtomicBoolean();
        Generator<Integer> numbers = yieldsOneThenBlocks(finallyRan);
        Thread consumer = Thread.currentThread();
        AtomicReference<AssertionError> neverWaited = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                awaitWaiting(consumer);
            } catch (AssertionError e) {
                neverWaited.set(e);
            } finally {
                numbers.close();
            }
        });
        List<Integer> got = new ArrayList<>();

        numbers.forEach(i -> {
            got.add(i);
            closer.start();
        });
        closer.join();

        assertEquals(null, neverWaited.get());
        assertEquals(List.of(1), got);
        assertTrue(finallyRan.get());
    }

    /** A buffered generator whose producer yields 1, then blocks until it is closed, and then sets {@code finallyRan}. */
    private static Generator<Integer> yieldsOneThenBlocks(AtomicBoolean finallyRan) {
        CountDownLatch never = new CountDownLatch(1);
        return Generator.of(4, yielder -> {
            try {
                yielder.yield(1);
                never.await();
            } finally {
                finallyRan.set(true);
            }
        });
    }

    @Test
    void forEachAsyncAwaitsEachActionBeforeAskingForTheNextElement() {
        AtomicInteger produced = new AtomicInteger();
        Generator<Integer> generator = counting(3, produced, 0);
        List<CompletableFuture<Void>> actions = new CopyOnWriteArrayList<>();
        List<Integer> seen = new CopyOnWriteArrayList<>();

        CompletableFuture<Void> done = generator.forEachAsync(element -> {
            seen.add(element);
            CompletableFuture<Void> action = new CompletableFuture<>();
            actions.add(action);
            return action;
        });
        awaitSize(actions, 1);
        assertEquals(List.of(0), seen);
        actions.get(0).complete(null);
        awaitSize(actions, 2);
        actions.get(1).complete(null);
        awaitSize(actions, 3);
        actions.get(2).complete(null);

        done.join();
        assertEquals(List.of(0, 1, 2), seen);
    }

    @Test
    void forEachAsyncFailsWithTheActionsFailureAndClosesTheGenerator() {
        IllegalStateException failure = new IllegalStateException("bad element");
        AtomicBoolean finallyRan = new AtomicBoolean();
        Generator<Integer> generator = Generator.of(yielder -> {
            try {
                for (int i = 0; ; i++) {
                    yielder.yield(i);
                }
            } finally {
                finallyRan.set(true);
            }
        });

        Throwable seen = failureOf(generator.forEachAsync(element -> CompletableFuture.failedFuture(failure)));

        assertSame(failure, seen);
        generator.closeAsync().join();
        assertTrue(finallyRan.get());
    }

    @Test
    void toListCollectsEveryElementInOrder() {
        Generator<Integer> generator = counting(1_000, new AtomicInteger(), 4);

        List<Integer> all = generator.toList().join();

        assertEquals(1_000, all.size());
        assertEquals(999, all.get(999));
    }

    @Test
    void publisherAsksTheProducerForNoMoreThanTheDemand() {
        AtomicInteger produced = new AtomicInteger();
        Generator<Integer> generator = counting(1_000_000, produced, 0);
        Recorder<Integer> subscriber = new Recorder<>();
        generator.asPublisher().subscribe(subscriber);

        subscriber.subscription.join().request(3);
        awaitSize(subscriber.received, 3);

        assertEquals(List.of(0, 1, 2), subscriber.received);
        assertTrue(produced.get() <= 4, "produced " + produced.get() + " for a demand of 3");
        subscriber.subscription.join().cancel();
        generator.closeAsync().join();
    }

    @Test
    void publisherCompletesAtTheEndOfTheSequence() {
        Generator<Integer> generator = counting(2, new AtomicInteger(), 0);
        Recorder<Integer> subscriber = new Recorder<>();
        generator.asPublisher().subscribe(subscriber);

        subscriber.subscription.join().request(10);

        subscriber.completed.join();
        assertEquals(List.of(0, 1), subscriber.received);
    }

    @Test
    void openingAndClosingTenThousandGeneratorsLeavesNoProducerAlive() {
        AtomicInteger liveProducers = new AtomicInteger();
        List<Integer> before = List.of(liveProducers.get(), NoLeaks.libraryCoroutines().size());

        for (int i = 0; i < 10_000; i++) {
            Generator<Integer> generator = Generator.of(yielder -> {
                liveProducers.incrementAndGet();
                try {
                    for (int n = 0; ; n++) {
                        yielder.yield(n);
                    }
                } finally {
                    liveProducers.decrementAndGet();
                }
            });
            assertEquals(Optional.of(0), generator.next().join());
            generator.close();
        }

        assertEquals(before, List.of(liveProducers.get(), NoLeaks.libraryCoroutines().size()),
                "live producers and library coroutines, before and after");
    }

    @Test
    void yieldingNullFailsTheConsumerWithANullPointerExceptionNamingTheElement() {
        Generator<String> generator = Generator.of(yielder -> yielder.yield(null));

        Throwable failure = failureOf(generator.next());

        assertInstanceOf(NullPointerException.class, failure);
        assertEquals("element", failure.getMessage());
        generator.close();
    }

    @Test
    void badArgumentsAreRejectedAtTheCall() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Generator.of(-1, yielder -> { }));

        assertEquals("capacity must be >= 0, was -1", negative.getMessage());
        assertEquals("body", assertThrows(NullPointerException.class, () -> Generator.of(null)).getMessage());
        try (Generator<String> generator = Generator.of(yielder -> { })) {
            assertEquals("action", assertThrows(NullPointerException.class, () -> generator.forEach(null)).getMessage());
            assertEquals("action", assertThrows(NullPointerException.class, () -> generator.forEachAsync(null)).getMessage());
        }
    }

    /** Waits, with a deadline, until {@code thread} blocks (or has ended). */
    static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() == Thread.State.RUNNABLE || thread.getState() == Thread.State.NEW) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread + " never blocked; it is " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }

    /** Waits, with a deadline, until another thread has added {@code size} elements. */
    static void awaitSize(List<?> list, int size) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + size + " elements, have " + list);
            }
            Thread.onSpinWait();
        }
    }
}
