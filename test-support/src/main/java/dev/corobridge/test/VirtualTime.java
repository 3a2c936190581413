package dev.corobridge.test;

import dev.corobridge.TaskScope;
import dev.corobridge.test.internal.VirtualLoop;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import kotlinx.coroutines.test.TestCoroutineScheduler;
import org.jspecify.annotations.Nullable;

/**
 * Runs corobridge code on a virtual clock: kotlinx's {@code runTest} for Java.
 *
 * <pre>{@code
 * String cake = VirtualTime.run(scope -> Coroutines.sleep(Duration.ofMinutes(45))
 *         .thenApply(ignored -> "cake"));                     // returns at once
 * }</pre>
 *
 * <p>Inside {@link #run}, every timing operation of the library follows the virtual clock and
 * completes at once in real time, in the right virtual order: {@code Coroutines.sleep},
 * {@code timeout}, the children of the scope, and the static entry points called from inside
 * bodies (they start their work on the running loop, which here is the virtual one). The clock
 * moves only when nothing is ready to run: it then jumps to the next timer.
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>Real waits do not follow the clock: a blocking body that calls {@code Thread.sleep}, or
 *       waits for a real server, takes real time. While it does, the virtual clock may jump ahead
 *       to the next timer, so the order between a blocking body's real work and virtual timers is
 *       not deterministic. Keep timed logic in stage bodies.</li>
 *   <li>A loop that waits for real work (a blocking body, a real socket) gives up after a
 *       real-time timeout of 60 seconds, with an {@link AssertionError} from kotlinx-coroutines-test.</li>
 *   <li>Work started outside the loop (from another thread, or before {@code run}) uses real time.</li>
 * </ul>
 *
 * <p>Thread-safe: each {@code run} has its own clock.
 */
public final class VirtualTime {
    private static final Duration REAL_TIMEOUT = Duration.ofSeconds(60);

    private VirtualTime() {}

    /**
     * Runs {@code body} like {@code Coroutines.run}, on a virtual clock that starts at zero, and
     * returns the value of its stage once the body and every child have completed.
     *
     * @param body returns the stage whose value this returns
     * @param <T> the type of the value
     * @return the stage's value
     * @throws Exception the body's or a child's original exception
     */
    public static <T extends @Nullable Object> T run(Function<? super TaskScope, ? extends CompletionStage<T>> body)
            throws Exception {
        Objects.requireNonNull(body, "body");
        return VirtualLoop.runVirtual(scope -> body.apply(TaskScope.from(scope)), REAL_TIMEOUT);
    }

    /**
     * Returns the virtual time since the start of the {@link #run} that the calling body runs in.
     *
     * @return the virtual time elapsed
     * @throws IllegalStateException if not called from a body running inside {@link #run}
     */
    public static Duration currentTime() {
        return Duration.ofMillis(VirtualLoop.currentTimeMillis(scheduler("currentTime")));
    }

    /**
     * Moves the virtual clock forward by {@code duration}, running every task due until then,
     * for tests that check intermediate states. Call it from a body inside {@link #run}; the
     * clock also moves on its own whenever the loop is idle.
     *
     * @param duration how far to move the clock
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if not called from a body running inside {@link #run}
     */
    public static void advanceBy(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        VirtualLoop.advanceBy(scheduler("advanceBy"), duration);
    }

    /**
     * Runs every task, moving the virtual clock as far as needed, until nothing is left to run.
     *
     * @throws IllegalStateException if not called from a body running inside {@link #run}
     */
    public static void runUntilIdle() {
        VirtualLoop.runUntilIdle(scheduler("runUntilIdle"));
    }

    private static TestCoroutineScheduler scheduler(String operation) {
        TestCoroutineScheduler scheduler = VirtualLoop.currentScheduler();
        if (scheduler == null) {
            throw new IllegalStateException("VirtualTime." + operation + "() works only inside VirtualTime.run,"
                    + " from a body running on its virtual clock; this thread runs no virtual-time loop");
        }
        return scheduler;
    }
}
