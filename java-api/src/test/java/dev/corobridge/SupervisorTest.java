package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class SupervisorTest {

    @Test
    void aFailingChildDoesNotCancelItsSiblingsOrTheSupervisor() throws Exception {
        IOException failure = new IOException("one delivery failed");
        CompletableFuture<String> sibling = new CompletableFuture<>();
        CompletableFuture<Task<String>> failing = new CompletableFuture<>();

        Task<String> supervisor = Coroutines.supervisor(scope -> {
            failing.complete(scope.async(() -> CompletableFuture.failedFuture(failure)));
            Task<String> other = scope.async(() -> sibling);
            return other.thenApply(value -> "supervisor saw " + value);
        });
        ExecutionException childFailure = assertThrows(ExecutionException.class, () -> failing.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS));
        sibling.complete("pizza");

        assertSame(failure, childFailure.getCause());
        assertEquals("supervisor saw pizza", supervisor.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theBodysOwnFailureFailsTheSupervisor() {
        IOException failure = new IOException("no menu");

        Task<String> supervisor = Coroutines.supervisor(scope -> CompletableFuture.failedFuture(failure));

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> supervisor.get(5, TimeUnit.SECONDS));
        assertSame(failure, thrown.getCause());
    }

    @Test
    void waitsForEveryChildAndCollectsSettledResults() throws Exception {
        Task<List<Outcome<String>>> supervisor = Coroutines.supervisor(scope -> Coroutines.gatherSettled(List.of(
                scope.async(() -> CompletableFuture.completedFuture("a")),
                scope.async(() -> CompletableFuture.<String>failedFuture(new IOException("b"))))));

        List<Outcome<String>> outcomes = supervisor.get(5, TimeUnit.SECONDS);

        assertEquals("a", outcomes.get(0).value());
        assertEquals("b", outcomes.get(1).failure().getMessage());
    }

    @Test
    void cancellingTheSupervisorCancelsItsChildren() throws Exception {
        CompletableFuture<String> child = new CompletableFuture<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Task<Void> supervisor = Coroutines.supervisor(scope -> {
            scope.async(() -> {
                started.countDown();
                return child;
            });
            return CompletableFuture.completedFuture(null);
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));

        supervisor.cancelAndJoin().get(5, TimeUnit.SECONDS);

        assertTrue(child.isCancelled());
    }
}
