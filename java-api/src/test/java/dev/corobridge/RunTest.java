package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import dev.corobridge.testing.Steps;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class RunTest {

    @Test
    void returnsTheBodysValue() throws Exception {
        String result = Coroutines.run(scope -> CompletableFuture.completedFuture("cake"));

        assertEquals("cake", result);
    }

    @Test
    void runsTheBodyAndItsChildrenOnTheCallingThread() throws Exception {
        Thread caller = Thread.currentThread();

        List<Thread> threads = Coroutines.run(scope -> {
            Task<Thread> child = scope.async(() -> CompletableFuture.completedFuture(Thread.currentThread()));
            Task<Thread> afterSleep = scope.async(() -> Coroutines.sleep(Duration.ofMillis(1))
                    .thenApply(ignored -> Thread.currentThread()));
            Task<Thread> detached = Coroutines.async(() -> CompletableFuture.completedFuture(Thread.currentThread()));
            return Coroutines.gather(List.of(child, afterSleep, detached));
        });

        assertEquals(List.of(caller, caller, caller), threads);
    }

    @Test
    void rethrowsTheOriginalException() {
        IOException failure = new IOException("no flour");

        IOException thrown = assertThrows(IOException.class,
                () -> Coroutines.run(scope -> CompletableFuture.failedFuture(failure)));

        assertSame(failure, thrown);
    }

    @Test
    void rethrowsAChildsFailureAndCancelsItsSiblings() {
        IOException failure = new IOException("oven broken");
        CompletableFuture<String> slow = new CompletableFuture<>();

        IOException thrown = assertThrows(IOException.class, () -> Coroutines.run(scope -> {
            scope.async(() -> slow);
            scope.async(() -> CompletableFuture.failedFuture(failure));
            return new CompletableFuture<String>();
        }));

        assertSame(failure, thrown);
        assertTrue(slow.isCancelled());
    }

    @Test
    void waitsForEveryChildBeforeReturning() throws Exception {
        Steps steps = new Steps();

        String result = Coroutines.run(scope -> {
            scope.async(() -> Coroutines.sleep(Duration.ofMillis(20)).thenRun(() -> steps.expect(1)));
            return CompletableFuture.completedFuture("body done");
        });
        steps.finish(2);

        assertEquals("body done", result);
    }

    @Test
    void cancelsDetachedTasksWhenItReturns() throws Exception {
        AtomicReference<Task<Void>> leftover = new AtomicReference<>();

        Coroutines.run(scope -> {
            leftover.set(Coroutines.async(() -> new CompletableFuture<Void>()));
            return CompletableFuture.completedFuture(null);
        });

        assertTrue(leftover.get().isCancelled());
    }

    @Test
    void interruptingTheCallingThreadCancelsEverythingAndThrowsInterruptedException() throws Exception {
        CountDownLatch childStarted = new CountDownLatch(1);
        CompletableFuture<String> request = new CompletableFuture<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                Coroutines.run(scope -> {
                    scope.async(() -> {
                        childStarted.countDown();
                        return request;
                    });
                    return new CompletableFuture<String>();
                });
                outcome.complete(null);
            } catch (Throwable thrown) {
                outcome.complete(thrown);
            }
        });
        runner.start();
        assertTrue(childStarted.await(5, TimeUnit.SECONDS));

        runner.interrupt();

        assertTrue(outcome.get(5, TimeUnit.SECONDS) instanceof InterruptedException);
        assertTrue(request.isCancelled(), "the child's request was cancelled before run returned");
    }

    @Test
    void refusesToRunInsideARunningLoop() throws Exception {
        Task<Integer> nested = Coroutines.async(() -> {
            try {
                return CompletableFuture.completedFuture(Coroutines.run(scope -> CompletableFuture.completedFuture(1)));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> nested.get(5, TimeUnit.SECONDS));
        assertTrue(thrown.getCause() instanceof IllegalStateException);
    }
}
