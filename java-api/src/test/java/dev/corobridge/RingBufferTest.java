package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.ParkedCall;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ring behind {@code Generator.of(n, body)}, driven directly: each side's waits, the end, cancellation. */
@ExtendWith(NoLeaks.class)
class RingBufferTest {
    /** The JDK's count of the bytes each thread has allocated, where it keeps one. */
    private static final com.sun.management.ThreadMXBean ALLOCATIONS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void aCapacityBelowOneIsRefusedWithItsValueInTheMessage(int capacity) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new RingBuffer<Integer>(capacity));
        assertEquals("capacity must be at least 1, was " + capacity, refused.getMessage());
    }

    @Test
    void elementsComeOutInOrderAcrossTheWrapThenTheEnd() throws InterruptedException {
        RingBuffer<Integer> ring = new RingBuffer<>(3);
        List<Integer> taken = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            assertTrue(ring.put(i));
            if (i % 2 == 0) {
                taken.add(ring.poll().orElseThrow());
                taken.add(ring.poll().orElseThrow());
            }
        }
        taken.add(ring.poll().orElseThrow());
        assertNull(ring.poll(), "until the end, an empty ring gives nothing");
        ring.put(8);

        ring.close(null);

        assertEquals(Optional.of(8), ring.poll(), "the end comes after every element put before it");
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), taken);
        assertEquals(Optional.empty(), ring.poll());
        assertEquals(Optional.empty(), ring.poll(), "the end stays");
    }

    @Test
    void theProducersFailureIsThrownAsItIsAfterTheElementsBeforeIt() throws InterruptedException {
        RingBuffer<Integer> ring = new RingBuffer<>(2);
        IOException failure = new IOException("the producer failed");
        ring.put(1);
        ring.close(failure);

        assertEquals(Optional.of(1), ring.poll());
        assertSame(failure, assertThrows(IOException.class, ring::poll));
        CompletionException receiveFailure = assertThrows(CompletionException.class, () -> ring.receive(false).join());
        assertSame(failure, receiveFailure.getCause());
    }

    @Test
    void aProducerEndedByCancellationEndsTheSequencePlainly() {
        RingBuffer<Integer> ring = new RingBuffer<>(2);
        ring.close(new java.util.concurrent.CancellationException("the producer's task was cancelled"));

        assertEquals(Optional.empty(), ring.poll());
    }

    @Test
    void receivesWaitingAreServedInOrderByThePutsAndComeBeforeAnyLaterPoll() throws InterruptedException {
        RingBuffer<Integer> ring = new RingBuffer<>(4);
        CompletableFuture<Optional<Integer>> first = ring.receive(false);
        CompletableFuture<Optional<Integer>> second = ring.receive(false);

        ring.put(1);
        assertTrue(first.isDone(), "the put served the waiting receive before it returned");
        assertNull(ring.poll(), "the second receive waits for the next element, so a poll gets nothing");
        ring.put(2);
        ring.put(3);

        assertEquals(Optional.of(1), first.join());
        assertEquals(Optional.of(2), second.join());
        assertEquals(Optional.of(3), ring.poll());
        ring.close(null);
        assertEquals(Optional.empty(), ring.receive(false).join());
    }

    @Test
    void aReceiveThatWaitsIsEndedByTheClose() {
        RingBuffer<Integer> ring = new RingBuffer<>(1);
        CompletableFuture<Optional<Integer>> waiting = ring.receive(false);

        ring.close(null);

        assertEquals(Optional.empty(), waiting.join());
    }

    @Test
    void cancellingTheCopyAReceiveReturnsLeavesItsElementToTheQueuedReceive() throws InterruptedException {
        RingBuffer<Integer> ring = new RingBuffer<>(1);
        CompletableFuture<Optional<Integer>> givenUp = ring.receive(false);
        CompletableFuture<Optional<Integer>> next = ring.receive(false);

        givenUp.cancel(false);
        ring.put(1);
        ring.put(2);

        assertEquals(Optional.of(2), next.join(), "the first element went to the first receive, whose caller gave up its copy");
    }

    /**
     * With 16 slots or more the takes empty their slots eight at a time; a single take still makes
     * room for the producer, whether it waits already (the take empties its slot at once) or comes
     * to the full ring after the take (it empties the slot itself before it parks).
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 16, 64})
    void aSingleTakeFromAFullRingMakesRoomForTheProducerWhetherItWaitsAlreadyOrComesAfter(int capacity) throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(capacity);
        for (int i = 0; i < capacity; i++) {
            ring.put(i);
        }
        ParkedCall<Boolean> waiting = ParkedCall.start(() -> ring.put(capacity));
        assertFalse(waiting.done().isDone(), "no room: the put waits");

        assertEquals(Optional.of(0), ring.poll());
        assertTrue(waiting.result(), "the take made room for the put that waited");
        assertEquals(Optional.of(1), ring.poll());
        withoutWaiting(() -> assertTrue(ring.put(capacity + 1), "the take made room for the put that came after it"));

        ring.close(null);
        List<Integer> rest = new ArrayList<>();
        for (Optional<Integer> next = ring.poll(); next.isPresent(); next = ring.poll()) {
            rest.add(next.get());
        }
        assertEquals(IntStream.rangeClosed(2, capacity + 1).boxed().toList(), rest);
    }

    @Test
    void cancellingDropsTheElementsEndsTheWaitsAndFailsTheProducersPuts() throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(1);
        ring.put(1);
        ParkedCall<Boolean> second = ParkedCall.start(() -> ring.put(2));

        ring.cancel();

        assertFalse(second.result(), "the waiting put is woken and told the element was dropped");
        assertEquals(Optional.empty(), ring.poll(), "the element put before the cancel is dropped");
        assertFalse(ring.put(3));
        assertEquals(Optional.empty(), ring.receive(false).join());
        ring.close(new IOException("a producer ending after the cancel changes nothing"));
        assertEquals(Optional.empty(), ring.poll());
    }

    @Test
    void aReceiveWaitingWhenTheRingIsCancelledGetsTheEnd() {
        RingBuffer<Integer> ring = new RingBuffer<>(1);
        CompletableFuture<Optional<Integer>> waiting = ring.receive(false);

        ring.cancel();

        assertEquals(Optional.empty(), waiting.join());
    }

    @Test
    void anInterruptEndsTheProducersWaitForRoom() throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(1);
        ring.put(1);
        ParkedCall<Boolean> second = ParkedCall.start(() -> ring.put(2));

        second.thread().interrupt();

        ExecutionException thrown = assertThrows(ExecutionException.class, second::result);
        assertInstanceOf(InterruptedException.class, thrown.getCause());
        assertEquals(Optional.of(1), ring.poll(), "the element already put stays");
    }

    @Test
    void forEachReadyHandsOverTheElementsThereAreEachTakenJustBeforeItIsHandled() throws InterruptedException {
        RingBuffer<Integer> ring = new RingBuffer<>(4);
        ring.put(1);
        ring.put(2);
        ring.put(3);
        List<String> events = new ArrayList<>();

        int handed = ring.forEachReady(element -> {
            events.add("got " + element);
            try {
                if (ring.put(element + 3)) { // one slot was emptied for it: the one just handed over
                    events.add("put " + (element + 3));
                }
            } catch (InterruptedException unexpected) {
                throw new AssertionError(unexpected);
            }
        }, () -> false);

        assertEquals(3, handed, "only the elements there were when it began");
        assertEquals(List.of("got 1", "put 4", "got 2", "put 5", "got 3", "put 6"), events);
        assertEquals(Optional.of(4), ring.poll());
    }

    @Test
    void forEachReadyOnAFullRingLeavesTheLastElementToOtherTakesSoThatNoneIsTakenTwice() throws InterruptedException {
        RingBuffer<Integer> ring = new RingBuffer<>(3);
        ring.put(1);
        ring.put(2);
        ring.put(3);
        List<Integer> got = new ArrayList<>();
        List<Optional<Integer>> polled = new ArrayList<>();

        int handed = ring.forEachReady(element -> {
            got.add(element);
            polled.add(ring.poll()); // another consumer's take, while the hand-over runs
        }, () -> false);

        assertEquals(2, handed);
        assertEquals(List.of(1, 2), got);
        assertEquals(Optional.of(3), polled.get(0));
        assertNull(polled.get(1));
    }

    @Test
    void takesThatComeRoundTheRingToElementsForEachReadyClaimedLeaveThemToIt() throws InterruptedException {
        RingBuffer<Integer> ring = new RingBuffer<>(4);
        ring.put(1);
        ring.put(2);
        List<Integer> got = new ArrayList<>();
        List<Optional<Integer>> polled = new ArrayList<>();

        int handed = ring.forEachReady(element -> {
            got.add(element);
            if (element == 1) { // 2 is claimed and not handed yet, while the ring goes round once
                try {
                    ring.put(3);
                    ring.put(4);
                    ring.put(5); // into the slot 1 was taken from
                } catch (InterruptedException unexpected) {
                    throw new AssertionError(unexpected);
                }
                for (int take = 0; take < 4; take++) {
                    polled.add(ring.poll());
                }
            }
        }, () -> false);

        assertEquals(2, handed);
        assertEquals(List.of(1, 2), got, "the claim hands over all it claimed");
        assertEquals(Arrays.asList(Optional.of(3), Optional.of(4), Optional.of(5), null), polled,
                "the fourth take came to 2's slot, still claimed, and found nothing to take");
        ring.put(6);
        assertEquals(Optional.of(6), ring.poll(), "once handed over, the slot is the ring's again");
    }

    @Test
    void forEachReadyStopsWhenAskedAndTheCancelDropsWhatItHadClaimed() throws InterruptedException {
        RingBuffer<Integer> ring = new RingBuffer<>(4);
        ring.put(1);
        ring.put(2);
        ring.put(3);
        List<Integer> got = new ArrayList<>();

        int handed = ring.forEachReady(got::add, () -> got.size() == 2);

        assertEquals(2, handed);
        assertEquals(List.of(1, 2), got);
        assertNull(ring.poll(), "the third stays claimed, so a poll does not get it");
        ring.cancel();
        assertEquals(Optional.empty(), ring.poll());
    }

    @Test
    void forEachReadyLeavesTheElementsToReceivesThatWait() throws InterruptedException {
        RingBuffer<Integer> ring = new RingBuffer<>(2);
        CompletableFuture<Optional<Integer>> waiting = ring.receive(false);
        ring.put(1);
        ring.put(2);
        CompletableFuture<Optional<Integer>> later = ring.receive(false);

        assertEquals(Optional.of(1), waiting.join());
        assertEquals(0, ring.forEachReady(element -> { throw new AssertionError("a receive waits for " + element); }, () -> false));
        assertEquals(Optional.of(2), later.join());
        assertEquals(0, ring.forEachReady(element -> { throw new AssertionError("empty, yet handed " + element); }, () -> false));
    }

    @Test
    void aDispatchedReceiveCompletesOnTheCallersLoopNotOnTheProducersThread() throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(1);
        Thread caller = Thread.currentThread();

        Thread completedOn = Coroutines.run(scope -> {
            CompletableFuture<Thread> on = ring.receive(true).thenApply(element -> Thread.currentThread());
            Thread producer = new Thread(() -> {
                try {
                    ring.put(1);
                } catch (InterruptedException unexpected) {
                    throw new AssertionError(unexpected);
                }
            });
            producer.start();
            return on;
        });

        assertSame(caller, completedOn);
    }

    @Test
    void aConsumerParkedForAnElementGetsTheNextPut() throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(2);
        ParkedCall<Optional<Integer>> take = ParkedCall.start(ring::takeWaiting);

        ring.put(1);

        assertEquals(Optional.of(1), take.result());
        assertNull(ring.poll(), "taken once");
    }

    @Test
    void aConsumerParkedForAnElementGetsTheEndTheFailureOrTheCancel() throws Exception {
        IOException failure = new IOException("the producer failed");
        RingBuffer<Integer> closed = new RingBuffer<>(2);
        RingBuffer<Integer> failed = new RingBuffer<>(2);
        RingBuffer<Integer> cancelled = new RingBuffer<>(2);
        ParkedCall<Optional<Integer>> afterClose = ParkedCall.start(closed::takeWaiting);
        ParkedCall<Optional<Integer>> afterFailure = ParkedCall.start(failed::takeWaiting);
        ParkedCall<Optional<Integer>> afterCancel = ParkedCall.start(cancelled::takeWaiting);

        closed.close(null);
        failed.close(failure);
        cancelled.cancel();

        assertEquals(Optional.empty(), afterClose.result());
        assertSame(failure, assertThrows(ExecutionException.class, afterFailure::result).getCause());
        assertEquals(Optional.empty(), afterCancel.result());
    }

    @Test
    void aReceiveThatComesWhileAConsumerIsParkedIsServedFirstAndTheNextElementIsTheConsumers() throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(2);
        ParkedCall<Optional<Integer>> take = ParkedCall.start(ring::takeWaiting);
        CompletableFuture<Optional<Integer>> receive = ring.receive(false);

        ring.put(1);
        ring.put(2);

        assertEquals(Optional.of(1), receive.get(10, TimeUnit.SECONDS));
        Optional<Integer> taken = take.result();
        // A consumer that looked while the receive waited left its wait to the queue, and the
        // element is there for its next take; one that did not look meanwhile got it.
        assertEquals(Optional.of(2), taken != null ? taken : ring.poll());
        assertNull(ring.poll(), "each element once");
    }

    @Test
    void aConsumerThatFindsReceivesWaitingLeavesItsWaitToTheQueueBehindThem() throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(2);
        CompletableFuture<Optional<Integer>> receive = ring.receive(false);

        Optional<Integer> taken = CompletableFuture.supplyAsync(ring::takeWaiting).get(10, TimeUnit.SECONDS);
        ring.put(1);

        assertNull(taken, "it does not park where a stream of receives could keep it waiting");
        assertEquals(Optional.of(1), receive.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aSecondConsumerDoesNotParkBesideTheFirst() throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(2);
        ParkedCall<Optional<Integer>> first = ParkedCall.start(ring::takeWaiting);

        Optional<Integer> second = CompletableFuture.supplyAsync(ring::takeWaiting).get(10, TimeUnit.SECONDS);
        ring.put(1);

        assertNull(second, "the second consumer is left to the queue");
        assertEquals(Optional.of(1), first.result());
    }

    @Test
    void anInterruptEndsAParkedConsumersWaitWithTheFlagKept() throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(2);
        ParkedCall<Optional<Integer>> take = ParkedCall.start(ring::takeWaiting);

        take.thread().interrupt();

        assertNull(take.result(), "nothing taken: the caller answers the interrupt");
        assertTrue(take.flagKept().get());
        ring.put(1);
        assertEquals(Optional.of(1), ring.poll(), "the element goes to the next take");
    }

    @Test
    void anUnboundedRingTakesEveryPutAtOnceAndGivesThemInOrderAcrossItsArrays() throws InterruptedException {
        RingBuffer<Integer> ring = RingBuffer.unbounded();
        int arrays = 3;
        int count = arrays * RingBuffer.ARRAY_SLOTS + 5;
        CompletableFuture<Optional<Integer>> waiting = ring.receive(false);
        List<Integer> taken = new ArrayList<>();

        for (int i = 1; i <= count; i++) {
            assertTrue(ring.put(i), "never full: this thread is the only one, so a wait would never end");
            if (i % 100 == 0) {
                taken.add(ring.poll().orElseThrow());
            }
        }
        ring.close(null);
        for (Optional<Integer> next = ring.poll(); next.isPresent(); next = ring.poll()) {
            taken.add(next.get());
        }

        assertEquals(Optional.of(1), waiting.join(), "the waiting receive got the first element");
        assertEquals(IntStream.rangeClosed(2, count).boxed().toList(), taken);
    }

    @Test
    void forEachReadyOnAnUnboundedRingClaimsAcrossALinkAnArraysWorthAtMost() throws InterruptedException {
        RingBuffer<Integer> ring = RingBuffer.unbounded();
        int slots = RingBuffer.ARRAY_SLOTS;
        for (int i = 1; i <= 2 * slots + 10; i++) {
            ring.put(i);
        }
        for (int i = 1; i <= slots - 5; i++) {
            ring.poll();
        }
        List<Integer> got = new ArrayList<>();

        int handed = ring.forEachReady(got::add, () -> false);
        int handedNext = ring.forEachReady(got::add, () -> false);

        assertEquals(slots, handed, "the last 5 of the first array and the rest from the next one");
        assertEquals(15, handedNext);
        assertEquals(IntStream.rangeClosed(slots - 4, 2 * slots + 10).boxed().toList(), got);
        assertNull(ring.poll());
    }

    @Test
    void aCancelDuringForEachReadyOnAnUnboundedRingEndsTheHandOverAtTheLinkItCut() throws InterruptedException {
        RingBuffer<Integer> ring = RingBuffer.unbounded();
        int slots = RingBuffer.ARRAY_SLOTS;
        for (int i = 1; i <= slots + 20; i++) {
            ring.put(i);
        }
        for (int i = 1; i < slots; i++) {
            ring.poll();
        }
        List<Integer> got = new ArrayList<>();

        int handed = ring.forEachReady(element -> {
            got.add(element);
            ring.cancel(); // the close of another thread, while the claimed elements past the link wait
        }, () -> false);

        assertEquals(List.of(slots), got, "the last element of the first array, and none of the next one's");
        assertEquals(1, handed);
        assertEquals(Optional.empty(), ring.poll());
    }

    @ParameterizedTest
    @ValueSource(ints = {RingBuffer.ARRAY_SLOTS + 1, 300, 1_000})
    void aRingOfSeveralArraysHoldsExactlyItsCapacityAndComesRoundToItsFirstInOrder(int capacity) throws Exception {
        RingBuffer<Integer> ring = new RingBuffer<>(capacity);
        withoutWaiting(() -> {
            for (int i = 0; i < capacity; i++) {
                assertTrue(ring.put(i));
            }
        });
        ParkedCall<Boolean> oneMore = ParkedCall.start(() -> ring.put(capacity));
        assertFalse(oneMore.done().isDone(), "full: the put waits");
        List<Integer> taken = new ArrayList<>();

        taken.add(ring.poll().orElseThrow());
        assertTrue(oneMore.result(), "the take made room in the first array, where the last one led back to");
        int count = 3 * capacity; // round the ring twice more, full before every take
        withoutWaiting(() -> {
            for (int next = capacity + 1; next < count; next++) {
                taken.add(ring.poll().orElseThrow());
                assertTrue(ring.put(next));
            }
        });
        ring.close(null);
        for (Optional<Integer> next = ring.poll(); next.isPresent(); next = ring.poll()) {
            taken.add(next.get());
        }

        assertEquals(IntStream.range(0, count).boxed().toList(), taken);
    }

    @Test
    void forEachReadyClaimsAcrossTheLinkBackToTheFirstArray() throws InterruptedException {
        int capacity = 300; // an array of 256 slots and one of 44
        RingBuffer<Integer> ring = new RingBuffer<>(capacity);
        for (int i = 0; i < capacity; i++) {
            ring.put(i);
        }
        for (int i = 0; i < capacity - 10; i++) {
            ring.poll();
        }
        for (int i = capacity; i < capacity + 250; i++) {
            ring.put(i); // into the first array again
        }
        List<Integer> got = new ArrayList<>();

        int handed = ring.forEachReady(got::add, () -> false);
        int handedNext = ring.forEachReady(got::add, () -> false);

        assertEquals(RingBuffer.ARRAY_SLOTS, handed, "the last 10 of the second array and the rest from the first");
        assertEquals(4, handedNext);
        assertEquals(IntStream.range(capacity - 10, capacity + 250).boxed().toList(), got);
        assertNull(ring.poll());
    }

    @Test
    void aLargeRingAllocatesItsSlotsOnlyAsTheProducerFillsThem() throws InterruptedException {
        assumeTrue(ALLOCATIONS.isThreadAllocatedMemorySupported() && ALLOCATIONS.isThreadAllocatedMemoryEnabled());
        int capacity = 1_000_000; // 4 to 8 MB of slots if they came at once
        long before = allocatedByThisThread();

        RingBuffer<Integer> ring = new RingBuffer<>(capacity);
        long made = allocatedByThisThread() - before;
        for (int i = 0; i < 10 * RingBuffer.ARRAY_SLOTS; i++) {
            ring.put(-1); // one boxed integer, so that only the ring's own arrays count
        }
        long filled = allocatedByThisThread() - before;

        assertTrue(made < 64 * 1024, "an empty ring of " + capacity + " allocated " + made + " bytes");
        assertTrue(filled < 256 * 1024, "a ring of " + capacity + " holding 2,560 elements allocated " + filled + " bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000, Integer.MAX_VALUE})
    void aCancelledRingKeepsNoElementReachable(int capacity) throws InterruptedException {
        RingBuffer<Object> ring = capacity == Integer.MAX_VALUE ? RingBuffer.unbounded() : new RingBuffer<>(capacity);
        List<WeakReference<Object>> elements = putNew(ring, 3 * RingBuffer.ARRAY_SLOTS);
        ring.poll();

        ring.cancel();

        awaitUnreachable(elements, "elements of a cancelled ring are still reachable from it");
        assertTrue(ring.toString().endsWith(", cancelled]"), "the ring itself is still held here: " + ring);
    }

    /** A take leaves its slot full for a while (see {@code RingBuffer}'s class comment), but not once the consumer waits. */
    @Test
    void aConsumerThatWaitsLeavesNoElementItTookReachableFromTheRing() throws Exception {
        RingBuffer<Object> ring = new RingBuffer<>(16);
        List<WeakReference<Object>> elements = putNew(ring, 3);
        for (int i = 0; i < elements.size(); i++) {
            assertTrue(ring.poll().isPresent());
        }

        ParkedCall<Optional<Object>> take = ParkedCall.start(ring::takeWaiting);

        awaitUnreachable(elements, "elements a waiting consumer took are still reachable from the ring");
        Object next = new Object();
        ring.put(next);
        assertSame(next, take.result().orElseThrow());
    }

    @Test
    void aRingWhoseEndWasTakenKeepsNoElementReachable() throws InterruptedException {
        RingBuffer<Object> ring = new RingBuffer<>(16);
        List<WeakReference<Object>> elements = putNew(ring, 3);
        ring.close(null);

        for (int i = 0; i < elements.size(); i++) {
            assertTrue(ring.poll().isPresent());
        }
        assertEquals(Optional.empty(), ring.poll());

        awaitUnreachable(elements, "elements of a ring whose end was taken are still reachable from it");
        assertTrue(ring.toString().endsWith(", closed]"), "the ring itself is still held here: " + ring);
    }

    private static long allocatedByThisThread() {
        return ALLOCATIONS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Runs {@code puts}, which expect room for each put, on a thread of their own, and fails if they
     * have not ended within 10 seconds: a put that found no room would wait for ever.
     */
    private static void withoutWaiting(Executable puts) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), puts, "a put waited for room the ring should have had");
    }

    /** Collects garbage until none of {@code elements} is reachable, failing with {@code message} after 10 seconds. */
    private static void awaitUnreachable(List<WeakReference<Object>> elements, String message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (elements.stream().anyMatch(element -> element.get() != null)) {
            assertTrue(System.nanoTime() - deadline < 0, message);
            System.gc();
        }
    }

    /** Puts {@code count} new objects, held only by the ring once this returns, and gives weak references to them. */
    private static List<WeakReference<Object>> putNew(RingBuffer<Object> ring, int count) throws InterruptedException {
        List<WeakReference<Object>> elements = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object element = new Object();
            elements.add(new WeakReference<>(element));
            ring.put(element);
        }
        return elements;
    }
}
