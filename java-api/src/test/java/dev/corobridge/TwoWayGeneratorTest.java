package dev.corobridge;

import static dev.corobridge.AsyncChannelTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class TwoWayGeneratorTest {

    @Test
    void sendResumesTheYieldWithTheValueAndReturnsTheNextElement() {
        try (TwoWayGenerator<Double, Double> averager = TwoWayGenerator.of(yielder -> {
            double total = 0;
            int count = 0;
            Double value = yielder.yield(0.0);
            while (true) {
                total += value;
                count++;
                value = yielder.yield(total / count);
            }
        })) {

            Optional<Double> primed = averager.next().join();
            Optional<Double> afterTen = averager.send(10.0).join();
            Optional<Double> afterTwenty = averager.send(20.0).join();

            assertEquals(Optional.of(0.0), primed);
            assertEquals(Optional.of(10.0), afterTen);
            assertEquals(Optional.of(15.0), afterTwenty);
        }
    }

    @Test
    void nextResumesTheYieldWithNull() {
        List<String> replies = new CopyOnWriteArrayList<>();
        TwoWayGenerator<Integer, String> generator = TwoWayGenerator.of(yielder -> {
            replies.add(String.valueOf(yielder.yield(1)));
            replies.add(String.valueOf(yielder.yield(2)));
        });

        generator.next().join();
        generator.send("sent").join();
        Optional<Integer> end = generator.next().join();

        assertEquals(Optional.empty(), end);
        assertEquals(List.of("sent", "null"), replies);
    }

    @Test
    void sendingBeforeTheFirstNextFailsAsInPython() {
        try (TwoWayGenerator<Integer, String> generator = TwoWayGenerator.of(yielder -> yielder.yield(1))) {

            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> generator.send("early"));

            assertTrue(failure.getMessage().contains("just-started"), failure.getMessage());
        }
    }

    @Test
    void aCallWhileThePreviousIsPendingFailsAsAlreadyExecuting() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (TwoWayGenerator<Integer, String> generator = TwoWayGenerator.of(yielder -> {
            Coroutines.await(release);
            yielder.yield(1);
        })) {
            CompletableFuture<Optional<Integer>> pending = generator.next();

            IllegalStateException failure = assertThrows(IllegalStateException.class, generator::next);

            assertTrue(failure.getMessage().contains("already executing"), failure.getMessage());
            release.complete(null);
            assertEquals(Optional.of(1), pending.join());
        }
    }

    @Test
    void theBodysFailureReachesTheCallerAsTheOriginalException() {
        IllegalArgumentException failure = new IllegalArgumentException("bad value");
        TwoWayGenerator<Integer, String> generator = TwoWayGenerator.of(yielder -> {
            String reply = yielder.yield(1);
            throw failure;
        });

        generator.next().join();
        Throwable seen = failureOf(generator.send("x"));

        assertSame(failure, seen);
        generator.close();
    }

    @Test
    void closeRunsTheBodysFinally() {
        AtomicBoolean finallyRan = new AtomicBoolean();
        TwoWayGenerator<Integer, String> generator = TwoWayGenerator.of(yielder -> {
            try {
                while (true) {
                    yielder.yield(1);
                }
            } finally {
                finallyRan.set(true);
            }
        });
        generator.next().join();

        generator.close();

        assertTrue(finallyRan.get());
        assertNull(generator.next().join().orElse(null));
    }

    @Test
    void nullIsRejectedByName() {
        try (TwoWayGenerator<Integer, String> generator = TwoWayGenerator.of(yielder -> { })) {
            assertEquals("value", assertThrows(NullPointerException.class, () -> generator.send(null)).getMessage());
        }
        assertEquals("body", assertThrows(NullPointerException.class, () -> TwoWayGenerator.of(null)).getMessage());
    }
}
