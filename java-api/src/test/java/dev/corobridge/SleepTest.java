package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Steps;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class SleepTest {

    @Test
    void completesAfterTheDurationWithoutBlockingTheCaller() throws Exception {
        long start = System.nanoTime();

        CompletableFuture<Void> nap = Coroutines.sleep(Duration.ofMillis(30));

        nap.get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "woke up early");
    }

    @Test
    void sleepZeroLetsOtherReadyTasksRunFirst() throws Exception {
        Steps steps = new Steps();

        Coroutines.run(scope -> {
            scope.async(() -> Coroutines.sleep(Duration.ZERO).thenRun(() -> steps.expect(3)));
            scope.async(() -> {
                steps.expect(2);
                return CompletableFuture.completedFuture(null);
            });
            steps.expect(1);
            return CompletableFuture.completedFuture(null);
        });

        steps.finish(4);
    }

    @Test
    void cancellingASleepCancelsTheDelay() {
        CompletableFuture<Void> nap = Coroutines.sleep(Duration.ofDays(1));

        nap.cancel(false);

        assertTrue(nap.isCancelled());
        assertEquals(0, ((Task<Void>) nap).cancelAndJoin().thenApply(ignored -> 0).join());
        assertFalse(((Task<Void>) nap).isActive());
    }

    @Test
    void cancellingABodyCancelsTheSleepItComposedItsStageFrom() throws Exception {
        CompletableFuture<CompletableFuture<Void>> nap = new CompletableFuture<>();
        Task<String> task = Coroutines.async(() -> {
            CompletableFuture<Void> sleep = Coroutines.sleep(Duration.ofDays(1));
            nap.complete(sleep);
            return sleep.thenApply(ignored -> "woke up");
        });
        CompletableFuture<Void> sleep = nap.get(5, TimeUnit.SECONDS);

        task.cancel(false);

        sleep.handle((value, failure) -> null).get(5, TimeUnit.SECONDS);
        assertTrue(sleep.isCancelled(), "the dependent stage alone could not reach the sleep");
    }

    @Test
    void workStartedByABodyThatCompletesNormallyKeepsRunning() throws Exception {
        CompletableFuture<String> later = new CompletableFuture<>();
        CompletableFuture<Task<String>> started = new CompletableFuture<>();
        Task<String> body = Coroutines.async(() -> {
            started.complete(Coroutines.async(() -> later));
            return CompletableFuture.completedFuture("returned at once");
        });
        assertEquals("returned at once", body.get(5, TimeUnit.SECONDS));

        later.complete("still delivered");

        assertEquals("still delivered", started.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS));
    }

    @Test
    void refusesANegativeDuration() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Coroutines.sleep(Duration.ofSeconds(-1)));

        assertEquals("duration must not be negative, was PT-1S", thrown.getMessage());
    }
}
