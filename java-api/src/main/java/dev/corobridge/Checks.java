package dev.corobridge;

import dev.corobridge.bridge.Ambient;
import java.time.Duration;
import java.util.Objects;

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

    /** Fails if the calling thread runs coroutines, where blocking would stall every task on it. */
    static void mayBlock(String operation) {
        Ambient ambient = Ambient.current();
        if (ambient != null && !ambient.isBlocking()) {
            throw new IllegalStateException(operation + " blocks its thread, and this thread runs coroutines"
                    + " (a stage body, or the event loop of Coroutines.run), which would stall every task on it."
                    + " In a stage body, compose the stage instead (thenCompose, or return it);"
                    + " or run this code as a blocking body with asyncBlocking.");
        }
    }
}
