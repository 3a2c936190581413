package dev.corobridge;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class AsyncEventTest {

    @Test
    void startsClearAndAwaitWaitsForSet() throws Exception {
        AsyncEvent event = AsyncEvent.create();

        CompletableFuture<Void> waiting = event.await();
        boolean doneBeforeSet = waiting.isDone();
        event.set();

        assertFalse(doneBeforeSet);
        waiting.get(5, SECONDS);
        assertTrue(event.isSet());
    }

    @Test
    void setWakesEveryWaiter() throws Exception {
        AsyncEvent event = AsyncEvent.create();
        List<CompletableFuture<Void>> waiters = List.of(event.await(), event.await(), event.await());

        event.set();

        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(5, SECONDS);
    }

    @Test
    void awaitCompletesAtOnceWhileSet() {
        AsyncEvent event = AsyncEvent.create();
        event.set();

        CompletableFuture<Void> waiting = event.await();

        assertTrue(waiting.isDone());
    }

    @Test
    void clearMakesLaterAwaitsWaitAgain() throws Exception {
        AsyncEvent event = AsyncEvent.create();
        event.set();

        event.clear();
        CompletableFuture<Void> waiting = event.await();

        assertFalse(event.isSet());
        assertFalse(waiting.isDone());
        event.set();
        waiting.get(5, SECONDS);
    }

    @Test
    void aWaiterWokenBySetStaysWokenWhenClearFollows() throws Exception {
        AsyncEvent event = AsyncEvent.create();
        CompletableFuture<Void> waiting = event.await();

        event.set();
        event.clear();

        waiting.get(5, SECONDS);
        assertFalse(event.isSet());
    }

    @Test
    void cancellingAWaiterAffectsNoOtherWaiter() throws Exception {
        AsyncEvent event = AsyncEvent.create();
        CompletableFuture<Void> cancelled = event.await();
        CompletableFuture<Void> other = event.await();

        cancelled.cancel(true);
        event.set();

        other.get(5, SECONDS);
        assertTrue(cancelled.isCancelled());
    }

    @Test
    void clearOnAClearEventDoesNothing() {
        AsyncEvent event = AsyncEvent.create();

        event.clear();

        assertFalse(event.isSet());
    }
}
