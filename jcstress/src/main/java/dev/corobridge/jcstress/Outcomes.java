package dev.corobridge.jcstress;

import kotlinx.coroutines.Deferred;

/** Codes for how a coroutine ended, shared by the tests' result columns. */
final class Outcomes {
    /** Completed with the expected value. */
    static final int VALUE = 1;
    /** Ended cancelled. */
    static final int CANCELLED = 2;
    /** Still running, or ended with something else: never an acceptable outcome. */
    static final int OTHER = 0;

    private Outcomes() {}

    /** Returns how {@code deferred} ended: {@link #VALUE} with {@code expected}, {@link #CANCELLED}, or {@link #OTHER}. */
    static int ending(Deferred<?> deferred, Object expected) {
        if (!deferred.isCompleted()) {
            return OTHER;
        }
        if (deferred.isCancelled()) {
            return CANCELLED;
        }
        return expected.equals(deferred.getCompleted()) ? VALUE : OTHER;
    }
}
