package dev.corobridge.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

/** Waiting for a thread to park, for tests whose next step needs the thread to be waiting already. */
public final class Parked {
    private Parked() {}

    /**
     * Waits until {@code thread} parks, with or without a timeout; fails if it has not within 10
     * seconds.
     *
     * @param thread the thread
     */
    public static void await(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() - deadline < 0, "the thread did not park: " + thread.getState());
            Thread.onSpinWait();
        }
    }
}
