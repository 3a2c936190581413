package dev.corobridge.test;

import dev.corobridge.TaskScope;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A virtual clock handed to a test method by {@link VirtualTimeExtension}: runs bodies with
 * {@link VirtualTime#run} and remembers how much virtual time the last run took.
 *
 * <pre>{@code
 * @ExtendWith(VirtualTimeExtension.class)
 * class BakeryTest {
 *     @Test
 *     void bakesConcurrently(VirtualClock clock) throws Exception {
 *         clock.run(scope -> bakery.bakeAndShop(scope));
 *         assertEquals(Duration.ofMinutes(60), clock.elapsed());
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one clock per test method.
 */
public final class VirtualClock {
    private Duration elapsed = Duration.ZERO;

    VirtualClock() {}

    /**
     * Runs {@code body} on a fresh virtual clock, as {@link VirtualTime#run} does, and records
     * the virtual time at which it finished.
     *
     * @param body returns the stage whose value this returns
     * @param <T> the type of the value
     * @return the stage's value
     * @throws Exception the body's or a child's original exception
     */
    public <T extends @Nullable Object> T run(Function<? super TaskScope, ? extends CompletionStage<T>> body)
            throws Exception {
        return VirtualTime.run(scope -> body.apply(scope).whenComplete((value, failure) -> elapsed = VirtualTime.currentTime()));
    }

    /**
     * Returns the virtual time the last {@link #run} took, until its body's stage completed.
     *
     * @return the virtual time, zero before any run
     */
    public Duration elapsed() {
        return elapsed;
    }
}
