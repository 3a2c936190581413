package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Started;
import dev.corobridge.testing.Stress;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Long runs that would end in an {@link OutOfMemoryError} if the library kept anything of finished
 * work. Runs only in the {@code soak} surefire execution, whose JVM has a 96 MB heap; the counts
 * are the figures divided by 25, and {@code -Pstress} restores them.
 */
@Tag("soak")
@ExtendWith(NoLeaks.class)
class SoakTest {
    private static final int TEN_MB = 10 * 1024 * 1024;

    @Test
    void cancelledAwaitsOnNeverCompletingFuturesHoldingTenMegabytesEachAreAllCollected() throws Exception {
        int awaits = Stress.times(40);
        long heap = Runtime.getRuntime().maxMemory();

        for (int i = 0; i < awaits; i++) {
            byte[] payload = new byte[TEN_MB];
            CompletableFuture<Integer> never = new CompletableFuture<>();
            Task<Integer> awaiting = Started.awaiting(never.thenApply(value -> value + payload.length), Coroutines::async);

            awaiting.cancelAndJoin().get(10, TimeUnit.SECONDS);
        }

        assertTrue((long) awaits * TEN_MB > 2 * heap, "the run must hold far more than the heap if it leaked");
    }

    @Test
    void aChannelCarriesEveryElementOfAMillionRoundTripsInOrder() throws Exception {
        int elements = Stress.times(40_000);
        AsyncChannel<Integer> channel = AsyncChannel.rendezvous();
        Task<Void> producer = Coroutines.asyncBlocking(() -> {
            for (int i = 0; i < elements; i++) {
                Coroutines.await(channel.send(i));
            }
            channel.close();
            return null;
        });

        long received = 0;
        Iterator<Integer> consumer = channel.iterator();
        while (consumer.hasNext()) {
            assertEquals(received, consumer.next().longValue(), "out of order or lost");
            received++;
        }

        producer.get(10, TimeUnit.SECONDS);
        assertEquals(elements, received);
    }

    @Test
    void tasksCompletedOrCancelledMillionsOfTimesEndAsTold() throws Exception {
        int cycles = Stress.times(80_000);
        int completed = 0;
        int cancelled = 0;

        for (int i = 0; i < cycles; i++) {
            Task<Integer> task = Coroutines.async(CompletableFuture::new);
            if (i % 2 == 0) {
                task.complete(i);
            } else {
                task.cancel(false);
            }
            if (task.isCancelled()) {
                cancelled++;
            } else if (task.getNow(-1) == i) {
                completed++;
            }
            if (i % 1_000 == 0) {
                // Lets the dispatcher catch up with the coroutines' endings: without it this loop
                // makes them faster than two cores finish them, and the queue, not a leak, fills the heap.
                task.cancelAndJoin().get(10, TimeUnit.SECONDS);
            }
        }

        assertEquals(cycles / 2, completed);
        assertEquals(cycles - cycles / 2, cancelled);
    }
}
