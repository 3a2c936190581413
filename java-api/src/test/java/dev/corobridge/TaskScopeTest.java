package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Steps;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class TaskScopeTest {

    @Test
    void closeCancelsEveryChildAndWaitsForTheirFinallyBlocks() throws Exception {
        Steps steps = new Steps();
        CountDownLatch running = new CountDownLatch(1);
        TaskScope scope = TaskScope.open();
        scope.asyncBlocking(() -> {
            try {
                running.countDown();
                new CountDownLatch(1).await();
                return null;
            } finally {
                steps.expect(2);
            }
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        steps.expect(1);

        scope.close();

        steps.finish(3);
        assertFalse(scope.isActive());
    }

    @Test
    void startingAChildAfterCloseIsRefused() {
        TaskScope scope = TaskScope.open();
        scope.close();

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> scope.async(() -> CompletableFuture.completedFuture(1)));

        assertTrue(thrown.getMessage().contains("closed"));
    }

    @Test
    void aFailingChildCancelsItsSiblingsInAPlainScope() throws Exception {
        try (TaskScope scope = TaskScope.open()) {
            CompletableFuture<String> sibling = new CompletableFuture<>();
            CountDownLatch siblingStarted = new CountDownLatch(1);
            Task<String> siblingTask = scope.async(() -> {
                siblingStarted.countDown();
                return sibling;
            });
            assertTrue(siblingStarted.await(5, TimeUnit.SECONDS));

            scope.async(() -> CompletableFuture.failedFuture(new IOException("boom")));

            scope.join().get(5, TimeUnit.SECONDS);
            assertTrue(siblingTask.isCancelled());
            assertTrue(sibling.isCancelled());
            assertFalse(scope.isActive());
        }
    }

    @Test
    void aFailingChildStaysOnItsOwnTaskInASupervisorScope() throws Exception {
        try (TaskScope scope = TaskScope.openSupervisor()) {
            Task<String> failing = scope.async(() -> CompletableFuture.failedFuture(new IOException("boom")));
            Task<String> healthy = scope.async(() -> CompletableFuture.completedFuture("fine"));

            scope.join().get(5, TimeUnit.SECONDS);

            assertTrue(failing.isCompletedExceptionally());
            assertEquals("fine", healthy.join());
            assertTrue(scope.isActive());
        }
    }

    @Test
    void joinWaitsForChildrenWithoutEndingTheScope() throws Exception {
        try (TaskScope scope = TaskScope.openSupervisor()) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            scope.async(() -> answer);
            CompletableFuture<Void> joined = scope.join();
            assertFalse(joined.isDone());

            answer.complete("done");

            joined.get(5, TimeUnit.SECONDS);
            assertTrue(scope.isActive());
            assertEquals(7, scope.async(() -> CompletableFuture.completedFuture(7)).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void asKotlinLaunchesChildrenOfThisScope() throws Exception {
        try (TaskScope scope = TaskScope.open()) {
            kotlinx.coroutines.Job job = kotlinx.coroutines.BuildersKt.launch(scope.asKotlin(),
                    kotlin.coroutines.EmptyCoroutineContext.INSTANCE, kotlinx.coroutines.CoroutineStart.DEFAULT,
                    (s, c) -> kotlinx.coroutines.DelayKt.delay(TimeUnit.DAYS.toMillis(1), c));

            scope.cancel();

            Task.from(job).handle((v, e) -> null).get(5, TimeUnit.SECONDS);
            assertTrue(job.isCancelled());
        }
    }

    @Test
    void closeOnAThreadThatRunsCoroutinesIsRefused() throws Exception {
        TaskScope scope = TaskScope.open();
        try {
            Task<Void> misuse = Coroutines.async(() -> {
                scope.close();
                return CompletableFuture.completedFuture(null);
            });

            java.util.concurrent.ExecutionException thrown = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> misuse.get(5, TimeUnit.SECONDS));
            assertTrue(thrown.getCause() instanceof IllegalStateException);
        } finally {
            scope.close();
        }
    }
}
