package dev.corobridge.testing;

import dev.corobridge.bridge.Ambient;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Dispatchers;

/**
 * Runs code as if inside a body whose loop is kotlinx's {@code Dispatchers.Unconfined}: waits
 * started there resume on the thread that wakes them, synchronously. Lincheck's model checker
 * controls only the threads of its scenario, so the library must not hand work to other threads.
 */
public final class InlineLoop {
    private static final Ambient UNCONFINED = Ambient.of(Dispatchers.getUnconfined(), null);

    private InlineLoop() {}

    /** Runs {@code operation} with the unconfined loop as the running loop of this thread. */
    public static boolean run(BooleanSupplier operation) {
        return call(operation::getAsBoolean);
    }

    /** Like {@link #run}, for an operation with a result of any type. */
    public static <T> T call(Supplier<T> operation) {
        // The running context is the loop element alone: no job, so no body to link waits to.
        CoroutineContext previous = UNCONFINED.updateThreadContext(UNCONFINED);
        try {
            return operation.get();
        } finally {
            UNCONFINED.restoreThreadContext(UNCONFINED, previous);
        }
    }
}
