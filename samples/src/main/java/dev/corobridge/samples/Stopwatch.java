package dev.corobridge.samples;

import java.time.Duration;

/** Times a piece of sample code on the real clock. */
final class Stopwatch {
    private Stopwatch() {}

    /** Code to time; it may throw. */
    interface Work {
        void run() throws Exception;
    }

    static Duration time(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
