package dev.corobridge.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import dev.corobridge.testing.NoLeaks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({NoLeaks.class, VirtualTimeExtension.class})
class VirtualTimeTest {
    private static final Duration REAL_TIME_BUDGET = Duration.ofSeconds(1);

    /** Seed 004: 15 minutes of dough and 45 in the oven, then 20 minutes of groceries. */
    private static CompletableFuture<String> bakeCake() {
        return Coroutines.sleep(Duration.ofMinutes(15))
                .thenCompose(dough -> Coroutines.sleep(Duration.ofMinutes(45)))
                .thenApply(baked -> "cake");
    }

    private static CompletableFuture<String> buyGroceries() {
        return Coroutines.sleep(Duration.ofMinutes(20)).thenApply(bought -> "groceries");
    }

    @Test
    void cakeAndGroceriesTakeSixtyVirtualMinutesConcurrently(VirtualClock clock) throws Exception {
        long start = System.nanoTime();

        List<String> done = clock.run(scope -> Coroutines.gather(List.of(
                scope.async(VirtualTimeTest::bakeCake), scope.async(VirtualTimeTest::buyGroceries))));

        assertEquals(List.of("cake", "groceries"), done);
        assertEquals(Duration.ofMinutes(60), clock.elapsed());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(REAL_TIME_BUDGET) < 0, "took real time");
    }

    @Test
    void cakeThenGroceriesTakeEightyVirtualMinutesSequentially(VirtualClock clock) throws Exception {
        long start = System.nanoTime();

        String done = clock.run(scope -> bakeCake().thenCompose(cake -> buyGroceries()));

        assertEquals("groceries", done);
        assertEquals(Duration.ofMinutes(80), clock.elapsed());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(REAL_TIME_BUDGET) < 0, "took real time");
    }

    @Test
    void aOneHourTimeoutAroundATwoHourSleepFailsAtExactlySixtyMinutes() throws Exception {
        Duration failedAt = VirtualTime.run(scope -> Coroutines.timeout(Duration.ofHours(1),
                        () -> Coroutines.sleep(Duration.ofHours(2)))
                .handle((value, failure) -> {
                    assertTrue(failure instanceof TimeoutException, "expected a timeout, got " + failure);
                    return VirtualTime.currentTime();
                }));

        assertEquals(Duration.ofMinutes(60), failedAt);
    }

    @Test
    void timersFireInVirtualOrderAtTheirVirtualInstants() throws Exception {
        List<String> fired = new ArrayList<>();

        VirtualTime.run(scope -> {
            for (int minutes : new int[] {30, 10, 20}) {
                scope.async(() -> Coroutines.sleep(Duration.ofMinutes(minutes))
                        .thenRun(() -> fired.add(minutes + "@" + VirtualTime.currentTime().toMinutes())));
            }
            return CompletableFuture.completedFuture(null);
        });

        assertEquals(List.of("10@10", "20@20", "30@30"), fired);
    }

    @Test
    void advanceByRunsWhatIsDueAndStopsThere() throws Exception {
        List<Boolean> doneAfterSteps = VirtualTime.run(scope -> {
            Task<Void> nap = scope.async(() -> Coroutines.sleep(Duration.ofMinutes(10)));
            VirtualTime.advanceBy(Duration.ofMinutes(5));
            boolean afterFive = nap.isDone();
            VirtualTime.advanceBy(Duration.ofMinutes(5));
            boolean afterTen = nap.isDone();
            assertEquals(Duration.ofMinutes(10), VirtualTime.currentTime());
            return CompletableFuture.completedFuture(List.of(afterFive, afterTen));
        });

        assertEquals(List.of(false, true), doneAfterSteps);
    }

    @Test
    void runUntilIdleRunsEverythingPending() throws Exception {
        Duration idleAt = VirtualTime.run(scope -> {
            scope.async(() -> Coroutines.sleep(Duration.ofHours(3)));
            VirtualTime.runUntilIdle();
            return CompletableFuture.completedFuture(VirtualTime.currentTime());
        });

        assertEquals(Duration.ofHours(3), idleAt);
    }

    @Test
    void rethrowsTheBodysOriginalException() {
        IOException failure = new IOException("oven broken");

        IOException thrown = assertThrows(IOException.class, () -> VirtualTime.run(scope ->
                Coroutines.sleep(Duration.ofMinutes(5)).thenCompose(ignored -> CompletableFuture.failedFuture(failure))));

        assertSame(failure, thrown);
    }

    @Test
    void detachedWorkLeftRunningIsCancelledAtTheEnd() throws Exception {
        List<Task<Void>> leftover = new ArrayList<>();

        VirtualTime.run(scope -> {
            leftover.add(Coroutines.async(() -> Coroutines.sleep(Duration.ofDays(365))));
            return CompletableFuture.completedFuture(null);
        });

        assertTrue(leftover.get(0).isCancelled());
    }

    @Test
    void currentTimeOutsideAVirtualLoopIsAClearError() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, VirtualTime::currentTime);

        assertTrue(thrown.getMessage().contains("only inside VirtualTime.run"), thrown.getMessage());
    }

    @Test
    void aNegativeAdvanceIsRefused() throws Exception {
        IllegalArgumentException thrown = VirtualTime.run(scope -> CompletableFuture.completedFuture(
                assertThrows(IllegalArgumentException.class, () -> VirtualTime.advanceBy(Duration.ofSeconds(-5)))));

        assertEquals("duration must not be negative, was PT-5S", thrown.getMessage());
    }

    @Test
    void nullsAreRefusedNamingTheParameter() {
        assertEquals("body", assertThrows(NullPointerException.class, () -> VirtualTime.run(null)).getMessage());
        assertEquals("duration", assertThrows(NullPointerException.class, () -> VirtualTime.advanceBy(null)).getMessage());
    }

    @Test
    void aFreshClockHasElapsedNothing(VirtualClock clock) {
        assertFalse(clock.elapsed().compareTo(Duration.ZERO) > 0);
    }
}
