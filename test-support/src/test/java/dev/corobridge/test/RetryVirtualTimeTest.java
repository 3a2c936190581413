package dev.corobridge.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Coroutines;
import dev.corobridge.RetryPolicy;
import dev.corobridge.testing.NoLeaks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({NoLeaks.class, VirtualTimeExtension.class})
class RetryVirtualTimeTest {
    private static List<Duration> attemptInstants(RetryPolicy policy) throws Exception {
        List<Duration> attempts = new ArrayList<>();
        VirtualTime.run(scope -> Coroutines.retry(policy, () -> {
            attempts.add(VirtualTime.currentTime());
            return CompletableFuture.<String>failedFuture(new IOException("down"));
        }).handle((value, failure) -> null));
        return attempts;
    }

    @Test
    void backoffDoublesFromOneSecondUpToEightAtTheExpectedVirtualInstants() throws Exception {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(6)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).build();

        List<Duration> attempts = attemptInstants(policy);

        assertEquals(List.of(0L, 1L, 3L, 7L, 15L, 23L), attempts.stream().map(Duration::toSeconds).toList());
        assertTrue(attempts.stream().allMatch(at -> at.toMillisPart() == 0), "attempts between whole seconds: " + attempts);
    }

    @Test
    void jitterKeepsEachWaitWithinItsFraction() throws Exception {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(4)
                .backoff(Duration.ofSeconds(10), Duration.ofSeconds(10)).jitter(0.5).build();

        List<Duration> attempts = attemptInstants(policy);

        assertEquals(4, attempts.size());
        for (int i = 1; i < attempts.size(); i++) {
            Duration wait = attempts.get(i).minus(attempts.get(i - 1));
            assertTrue(wait.compareTo(Duration.ofSeconds(5)) >= 0 && wait.compareTo(Duration.ofSeconds(15)) <= 0, "waited " + wait);
        }
    }

    @Test
    void aRetryThatSucceedsReturnsAfterTheBackoffsBeforeIt(VirtualClock clock) throws Exception {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).backoff(Duration.ofMinutes(1), Duration.ofMinutes(30)).build();
        int[] attempts = {0};

        String value = clock.run(scope -> Coroutines.retry(policy, () -> ++attempts[0] < 4
                ? CompletableFuture.<String>failedFuture(new IOException("down"))
                : CompletableFuture.completedFuture("up")));

        assertEquals("up", value);
        assertEquals(Duration.ofMinutes(1 + 2 + 4), clock.elapsed());
    }
}
