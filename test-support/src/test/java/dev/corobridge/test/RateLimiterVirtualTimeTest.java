package dev.corobridge.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Calls;
import dev.corobridge.Coroutines;
import dev.corobridge.RateLimiter;
import dev.corobridge.testing.NoLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({NoLeaks.class, VirtualTimeExtension.class})
class RateLimiterVirtualTimeTest {
    private static final Duration REAL_TIME_BUDGET = Duration.ofSeconds(2);

    @Test
    void tenPerMinuteLetsThirtyStartsThroughAtMinutesZeroOneAndTwo(VirtualClock clock) throws Exception {
        RateLimiter limiter = RateLimiter.of(10, Duration.ofMinutes(1));
        List<Duration> starts = new ArrayList<>();
        long realStart = System.nanoTime();

        clock.run(scope -> CompletableFuture.allOf(IntStream.range(0, 30)
                .mapToObj(i -> limiter.acquire().thenRun(() -> starts.add(VirtualTime.currentTime())))
                .toArray(CompletableFuture<?>[]::new)));

        List<Duration> expected = new ArrayList<>();
        for (int minute = 0; minute < 3; minute++) {
            expected.addAll(Collections.nCopies(10, Duration.ofMinutes(minute)));
        }
        assertEquals(expected, starts);
        assertEquals(Duration.ofMinutes(2), clock.elapsed());
        assertTrue(Duration.ofNanos(System.nanoTime() - realStart).compareTo(REAL_TIME_BUDGET) < 0, "took real time");
    }

    @Test
    void waitersAreServedFirstComeFirstServed() throws Exception {
        RateLimiter limiter = RateLimiter.of(1, Duration.ofSeconds(1));
        List<String> served = new ArrayList<>();

        VirtualTime.run(scope -> CompletableFuture.allOf(IntStream.range(0, 4)
                .mapToObj(i -> limiter.acquire().thenRun(() -> served.add(i + "@" + VirtualTime.currentTime().toSeconds())))
                .toArray(CompletableFuture<?>[]::new)));

        assertEquals(List.of("0@0", "1@1", "2@2", "3@3"), served);
    }

    @Test
    void aCancelledWaiterGivesItsPlaceToTheNextOne() throws Exception {
        RateLimiter limiter = RateLimiter.of(1, Duration.ofSeconds(10));

        Duration servedAt = VirtualTime.run(scope -> {
            limiter.acquire();
            CompletableFuture<Void> givesUp = limiter.acquire();
            CompletableFuture<Duration> next = limiter.acquire().thenApply(ready -> VirtualTime.currentTime());
            givesUp.cancel(true);
            return next;
        });

        assertEquals(Duration.ofSeconds(10), servedAt);
    }

    @Test
    void aRateLimitedPlanOfOneHundredCallsFinishesAtThePredictedInstant(VirtualClock clock) throws Exception {
        // 10 starts a second, 5 at a time, 100 ms a call: starts at k s and k s + 100 ms for k = 0..9.
        RateLimiter limiter = RateLimiter.of(10, Duration.ofSeconds(1));
        List<Duration> starts = Collections.synchronizedList(new ArrayList<>());

        List<Integer> values = clock.run(scope -> Calls.over(IntStream.range(0, 100).boxed().toList())
                .concurrency(5).rateLimit(limiter)
                .map(input -> {
                    starts.add(VirtualTime.currentTime());
                    return Coroutines.sleep(Duration.ofMillis(100)).thenApply(ignored -> input);
                }));

        assertEquals(IntStream.range(0, 100).boxed().toList(), values);
        assertEquals(Duration.ofMillis(9_200), clock.elapsed());
        for (int i = 0; i < 100; i++) {
            Duration expected = Duration.ofSeconds(i / 10).plusMillis(i % 10 < 5 ? 0 : 100);
            assertEquals(expected, starts.get(i), "start " + i);
        }
    }
}
