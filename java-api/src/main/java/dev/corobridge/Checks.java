package dev.corobridge;

import dev.corobridge.bridge.Ambient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Argument and thread checks shared by the entry points, with the messages users see. */
final class Checks {
    private Checks() {}

    static Duration nonNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + duration);
        }
        return duration;
    }

    /** Whether the calling thread may block: a plain thread or a blocking body, not one that runs coroutines. */
    static boolean mayBlockHere() {
        Ambient ambient = Ambient.current();
        return ambient == null || ambient.isBlocking();
    }

    /**
     * Blocks until {@code finished} completes (it must never fail). An interrupt meanwhile does not
     * cut the wait short, because what is awaited is cleanup that must be complete on return; the
     * interrupt status is restored afterwards.
     */
    static void awaitUninterruptibly(CompletableFuture<?> finished) {
        boolean interrupted = false;
        while (true) {
            try {
                finished.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException("unreachable: a finish future never fails", e);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails if the calling thread runs coroutines, where blocking would stall every task on it. */
    static void mayBlock(String operation) {
        if (!mayBlockHere()) {
            throw new IllegalStateException(operation + " blocks its thread, and this thread runs coroutines"
                    + " (a stage body, or the event loop of Coroutines.run), which would stall every task on it."
                    + " In a stage body, compose the stage instead (thenCompose, or return it);"
                    + " or run this code as a blocking body with asyncBlocking.");
        }
    }
}
