package dev.corobridge;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class AsyncBarrierTest {

    @Test
    void rejectsNonPositivePartiesNamingTheValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> AsyncBarrier.of(0));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> AsyncBarrier.of(-3));

        assertEquals("parties must be > 0, was 0", zero.getMessage());
        assertEquals("parties must be > 0, was -3", negative.getMessage());
    }

    @Test
    void arrivalsWaitUntilAllPartiesArriveAndLearnTheirIndex() throws Exception {
        AsyncBarrier barrier = AsyncBarrier.of(3);

        CompletableFuture<Integer> first = barrier.arrive();
        CompletableFuture<Integer> second = barrier.arrive();
        boolean waitingBeforeLast = !first.isDone() && !second.isDone();
        int waiting = barrier.waiting();
        CompletableFuture<Integer> last = barrier.arrive();

        assertTrue(waitingBeforeLast);
        assertEquals(2, waiting);
        assertEquals(0, first.get(5, SECONDS));
        assertEquals(1, second.get(5, SECONDS));
        assertEquals(2, last.get(5, SECONDS));
    }

    @Test
    void isReusableForTheNextCycle() throws Exception {
        AsyncBarrier barrier = AsyncBarrier.of(2);
        barrier.arrive();
        barrier.arrive().get(5, SECONDS);

        CompletableFuture<Integer> first = barrier.arrive();
        CompletableFuture<Integer> second = barrier.arrive();

        assertEquals(List.of(0, 1), List.of(first.get(5, SECONDS), second.get(5, SECONDS)));
        assertEquals(0, barrier.waiting());
    }

    @Test
    void aSinglePartyBarrierTripsAtOnce() throws Exception {
        AsyncBarrier barrier = AsyncBarrier.of(1);

        CompletableFuture<Integer> arrival = barrier.arrive();

        assertEquals(0, arrival.get(0, SECONDS));
    }

    @Test
    void aCancelledWaiterBreaksTheBarrierForTheOthers() {
        AsyncBarrier barrier = AsyncBarrier.of(3);
        CompletableFuture<Integer> other = barrier.arrive();
        CompletableFuture<Integer> cancelled = barrier.arrive();

        cancelled.cancel(true);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> other.get(5, SECONDS));
        assertInstanceOf(BrokenBarrierException.class, failed.getCause());
        assertTrue(barrier.isBroken());
        ExecutionException later = assertThrows(ExecutionException.class, () -> barrier.arrive().get(5, SECONDS));
        assertInstanceOf(BrokenBarrierException.class, later.getCause());
    }

    @Test
    void resetFailsTheWaitersAndMakesTheBarrierUsableAgain() throws Exception {
        AsyncBarrier barrier = AsyncBarrier.of(2);
        CompletableFuture<Integer> waiting = barrier.arrive();

        barrier.reset();

        ExecutionException failed = assertThrows(ExecutionException.class, () -> waiting.get(5, SECONDS));
        assertInstanceOf(BrokenBarrierException.class, failed.getCause());
        assertFalse(barrier.isBroken());
        CompletableFuture<Integer> first = barrier.arrive();
        assertEquals(1, barrier.arrive().get(5, SECONDS));
        assertEquals(0, first.get(5, SECONDS));
    }

    @Test
    void resetRepairsABrokenBarrier() throws Exception {
        AsyncBarrier barrier = AsyncBarrier.of(2);
        barrier.arrive().cancel(false);

        barrier.reset();
        CompletableFuture<Integer> first = barrier.arrive();
        CompletableFuture<Integer> second = barrier.arrive();

        assertEquals(0, first.get(5, SECONDS));
        assertEquals(1, second.get(5, SECONDS));
    }

    @Test
    void manyTasksMeetAcrossManyCycles() throws Exception {
        int parties = 4;
        AsyncBarrier barrier = AsyncBarrier.of(parties);

        List<Task<Integer>> tasks = java.util.stream.IntStream.range(0, parties)
                .mapToObj(i -> Coroutines.async(() -> cycles(barrier, 50)))
                .toList();

        for (Task<Integer> task : tasks) {
            assertEquals(50, task.get(10, SECONDS));
        }
        assertFalse(barrier.isBroken());
    }

    private static CompletableFuture<Integer> cycles(AsyncBarrier barrier, int left) {
        if (left == 0) {
            return CompletableFuture.completedFuture(0);
        }
        return barrier.arrive().thenCompose(index -> cycles(barrier, left - 1)).thenApply(done -> done + 1);
    }
}
