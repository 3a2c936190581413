package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class RateLimiterTest {
    @Test
    void letsPermitsStartAtOnceAndHoldsTheNextBackForTheWindow() {
        RateLimiter limiter = RateLimiter.of(2, Duration.ofHours(1));

        CompletableFuture<Void> first = limiter.acquire();
        CompletableFuture<Void> second = limiter.acquire();
        CompletableFuture<Void> third = limiter.acquire();

        assertTrue(first.isDone());
        assertTrue(second.isDone());
        assertFalse(third.isDone());
        assertFalse(limiter.tryAcquire());
        assertEquals(0, limiter.availablePermits());
        third.cancel(true);
    }

    @Test
    void aCancelledWaiterTakesNoPermitAndTheNextOneIsServed() {
        RateLimiter limiter = RateLimiter.of(1, Duration.ofMillis(50));
        limiter.acquire().join();
        CompletableFuture<Void> givesUp = limiter.acquire();
        CompletableFuture<Void> waits = limiter.acquire();

        givesUp.cancel(true);
        waits.join();

        assertTrue(givesUp.isCancelled());
        assertFalse(limiter.tryAcquire(), "the cancelled waiter's permit went to the next waiter, not back");
    }

    @Test
    void aTryAcquireCountsAsAStart() {
        RateLimiter limiter = RateLimiter.of(1, Duration.ofHours(1));

        boolean first = limiter.tryAcquire();
        boolean second = limiter.tryAcquire();

        assertTrue(first);
        assertFalse(second);
        assertEquals("RateLimiter[1 per PT1H, available=0]", limiter.toString());
    }

    @Test
    void badInputFailsAtTheCallNamingTheValue() {
        assertEquals("permits must be > 0, was 0",
                assertThrows(IllegalArgumentException.class, () -> RateLimiter.of(0, Duration.ofSeconds(1))).getMessage());
        assertEquals("per must be > 0, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> RateLimiter.of(1, Duration.ZERO)).getMessage());
        assertEquals("per must be > 0, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> RateLimiter.of(1, Duration.ofSeconds(-1))).getMessage());
        assertEquals("per", assertThrows(NullPointerException.class, () -> RateLimiter.of(1, null)).getMessage());
    }
}
