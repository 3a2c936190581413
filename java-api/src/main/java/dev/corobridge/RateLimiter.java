package dev.corobridge;

import dev.corobridge.bridge.calls.RateWindow;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Limits how often work starts: at most {@code permits} starts in any window of length
 * {@code per}, a sliding window (seed 000: "at least 1 second between any N calls").
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.of(10, Duration.ofSeconds(1));   // 10 requests a second
 * CompletableFuture<String> page = limiter.acquire().thenCompose(ready -> fetch(url));
 * }</pre>
 *
 * <p>Every start counts for exactly {@code per} from the moment it was allowed: {@link #acquire()}
 * takes a permit, and the permit comes back {@code per} later. So within any half-open window
 * {@code (t - per, t]} no more than {@code permits} starts are allowed, bursts included. It is
 * used on its own, or given to {@link Calls#rateLimit}.
 *
 * <h2>Waiting and cancellation</h2>
 * Waiting never blocks a thread: {@link #acquire()} returns a future, and the wait is a coroutine
 * delay on the running loop (the caller's body's dispatcher, or kotlinx's
 * {@code Dispatchers.Default} on a plain thread), so inside a virtual-time test it follows the
 * virtual clock. Waiters are served first come, first served. Cancelling a pending
 * {@code acquire()} gives its place up and takes no permit. A permit, once taken, is not given
 * back early: a start cannot be taken back.
 *
 * <p>The timer that gives a permit back belongs to the limiter, not to the caller's scope: it is
 * not cancelled when the caller's scope ends. Inside a virtual-time run it follows that run's
 * clock, so a limiter that was used there should not be shared with code outside it.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class RateLimiter {
    private final RateWindow window;
    private final int permits;
    private final Duration per;

    private RateLimiter(int permits, Duration per) {
        this.window = new RateWindow(permits, per);
        this.permits = permits;
        this.per = per;
    }

    /**
     * Creates a limiter that allows at most {@code permits} starts in any window of length
     * {@code per}.
     *
     * <pre>{@code
     * RateLimiter limiter = RateLimiter.of(100, Duration.ofMinutes(1));
     * }</pre>
     *
     * @param permits how many starts a window allows
     * @param per the length of the window
     * @return a new limiter with every permit available
     * @throws IllegalArgumentException if {@code permits} is not positive, or {@code per} is not
     *     positive
     */
    public static RateLimiter of(int permits, Duration per) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permits must be > 0, was " + permits);
        }
        Objects.requireNonNull(per, "per");
        if (per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("per must be > 0, was " + per);
        }
        return new RateLimiter(permits, per);
    }

    /**
     * Waits, without blocking, until a start is allowed, and counts it. The future completes at
     * once when a permit is free and nobody waits before the caller.
     *
     * @return a future completing with {@code null} when the caller may start; cancelling it
     *     before then gives the caller's place up without taking a permit
     */
    public CompletableFuture<Void> acquire() {
        if (window.tryAcquire()) {
            return CompletableFuture.completedFuture(null);
        }
        return Task.of(window.acquireAsync());
    }

    /**
     * Counts a start if one is allowed right now, without waiting. It never takes a permit that
     * a waiter is queued for.
     *
     * @return {@code true} if the caller may start now
     */
    public boolean tryAcquire() {
        return window.tryAcquire();
    }

    /**
     * Returns how many starts would be allowed right now: a snapshot, exact only when the limiter
     * is quiet.
     *
     * @return the permits available, 0 when a caller would wait
     */
    public int availablePermits() {
        return Math.max(0, window.getAvailablePermits());
    }

    /**
     * Returns how many starts a window allows.
     *
     * @return the permits given to {@link #of}
     */
    public int permits() {
        return permits;
    }

    /**
     * Returns the length of the window.
     *
     * @return the window given to {@link #of}
     */
    public Duration per() {
        return per;
    }

    /** The sliding window that a plan's coroutines wait on directly. */
    RateWindow window() {
        return window;
    }

    @Override
    public String toString() {
        return "RateLimiter[" + permits + " per " + per + ", available=" + availablePermits() + "]";
    }
}
