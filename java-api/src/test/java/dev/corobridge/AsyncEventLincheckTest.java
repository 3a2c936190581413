package dev.corobridge;

import dev.corobridge.testing.InlineLoop;
import dev.corobridge.testing.LinearizabilityTest;
import dev.corobridge.testing.NoLeaks;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks that {@link AsyncEvent} is linearizable: {@code set}, {@code clear}, {@code isSet} and
 * waits (done at once, or given up by cancelling) match some sequential order.
 *
 * <p>The stress run is part of every build. The model-checking run explores interleavings one by
 * one through kotlinx's internals and takes about a minute on a small machine, so it runs only
 * with {@code -Dcorobridge.lincheck.modelChecking=true}. Waits resume on an unconfined loop
 * ({@link InlineLoop}), so that every step runs on the scenario's own threads.
 */
@ExtendWith(NoLeaks.class)
public class AsyncEventLincheckTest extends LinearizabilityTest {
    private final AsyncEvent event = AsyncEvent.create();

    /** Waits, or gives up at once by cancelling; returns whether the event was seen set. */
    @Operation
    public boolean awaitOrCancel() {
        return InlineLoop.run(() -> {
            CompletableFuture<Void> waiting = event.await();
            return waiting.isDone() || !waiting.cancel(false);
        });
    }

    @Operation
    public void set() {
        InlineLoop.run(() -> {
            event.set();
            return true;
        });
    }

    @Operation
    public void clear() {
        event.clear();
    }

    @Operation
    public boolean isSet() {
        return event.isSet();
    }
}
