package dev.corobridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pins an interleaving: each step says which number it must be, as kotlinx's
 * {@code TestBase.expect(n)} / {@code finish(n)} do. A step out of order fails the test with
 * the step that was expected.
 */
public final class Steps {
    private final AtomicInteger last = new AtomicInteger();
    private volatile boolean finished;

    /** Records step {@code n}; fails unless it comes right after step {@code n - 1}. */
    public void expect(int n) {
        int before = last.getAndIncrement();
        assertEquals(n - 1, before, "step " + n + " ran after step " + before);
    }

    /** Records the last step {@code n}. */
    public void finish(int n) {
        expect(n);
        finished = true;
    }

    /** Fails if this point is ever reached. */
    public void unreachable() {
        throw new AssertionError("this step must not run (after step " + last.get() + ")");
    }

    /** Returns whether {@link #finish} ran. */
    public boolean finished() {
        return finished;
    }
}
