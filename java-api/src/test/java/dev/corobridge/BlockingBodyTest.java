package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class BlockingBodyTest {

    @Test
    void runsOnAVirtualThreadFromJdk21AndOnAPooledThreadBefore() throws Exception {
        Thread thread = Coroutines.asyncBlocking(Thread::currentThread).get(5, TimeUnit.SECONDS);

        assertEquals(Runtime.version().feature() >= 21, isVirtual(thread));
    }

    private static boolean isVirtual(Thread thread) throws Exception {
        try {
            Method isVirtual = Thread.class.getMethod("isVirtual");
            return (Boolean) isVirtual.invoke(thread);
        } catch (NoSuchMethodException beforeJdk21) {
            return false;
        }
    }

    @Test
    void awaitReturnsTheValueOfAStage() throws Exception {
        Task<String> task = Coroutines.asyncBlocking(() -> {
            String first = Coroutines.await(Coroutines.sleep(Duration.ofMillis(1)).thenApply(ignored -> "slept"));
            return first + " and woke";
        });

        assertEquals("slept and woke", task.get(5, TimeUnit.SECONDS));
    }

    @Test
    void awaitThrowsTheStagesOriginalException() {
        IOException failure = new IOException("no network");

        Task<String> task = Coroutines.asyncBlocking(
                () -> Coroutines.await(CompletableFuture.<String>failedFuture(failure).thenApply(String::trim)));

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> task.get(5, TimeUnit.SECONDS));
        assertSame(failure, thrown.getCause());
    }

    @Test
    void cancelWithInterruptInterruptsTheBodyAndTheStageItAwaits() throws Exception {
        CountDownLatch awaiting = new CountDownLatch(1);
        CompletableFuture<String> request = new CompletableFuture<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Task<String> task = Coroutines.asyncBlocking(() -> {
            awaiting.countDown();
            try {
                return Coroutines.await(request);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        assertTrue(awaiting.await(5, TimeUnit.SECONDS));

        task.cancel(true);

        task.cancelAndJoin().get(5, TimeUnit.SECONDS);
        assertTrue(interrupted.get());
        assertTrue(request.isCancelled(), "the awaited stage belongs to the body");
    }

    @Test
    void cancelWithoutInterruptLetsTheBodyFinishOnItsOwn() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        Task<String> task = Coroutines.asyncBlocking(() -> {
            running.countDown();
            while (true) {
                try {
                    proceed.await();
                    return "finished";
                } catch (InterruptedException e) {
                    sawInterrupt.set(true);
                }
            }
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));

        assertTrue(task.cancel(false));
        CompletableFuture<Void> finished = Task.from(task.job()).handle((v, e) -> null);
        proceed.countDown();

        finished.get(5, TimeUnit.SECONDS);
        assertTrue(task.isCancelled());
        assertFalse(sawInterrupt.get(), "cancel(false) must not interrupt a blocking body");
    }

    @Test
    void awaitOnAThreadThatRunsCoroutinesIsRefusedWithAClearMessage() {
        Task<String> misuse = Coroutines.async(() -> {
            try {
                return CompletableFuture.completedFuture(Coroutines.await(new CompletableFuture<String>()));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> misuse.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, thrown.getCause());
        assertTrue(thrown.getCause().getMessage().contains("asyncBlocking"), thrown.getCause().getMessage());
    }

    @Test
    void theExecutorOverloadRunsTheBodyOnThatExecutor() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "bakery-oven"));
        try (TaskScope scope = TaskScope.open()) {
            String thread = scope.asyncBlocking(() -> Thread.currentThread().getName(), executor).get(5, TimeUnit.SECONDS);
            String stageThread = scope.async(() -> CompletableFuture.completedFuture(Thread.currentThread().getName()), executor)
                    .get(5, TimeUnit.SECONDS);

            // Under -ea kotlinx appends " @coroutine#N" to the thread name while a coroutine runs.
            assertTrue(thread.startsWith("bakery-oven"), thread);
            assertTrue(stageThread.startsWith("bakery-oven"), stageThread);
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void aBlockingBodyCanStartDetachedWorkAndAwaitIt() throws Exception {
        Task<Integer> task = Coroutines.asyncBlocking(() -> {
            Task<Integer> inner = Coroutines.async(() -> CompletableFuture.completedFuture(21));
            return Coroutines.await(inner) * 2;
        });

        assertEquals(42, task.get(5, TimeUnit.SECONDS));
    }
}
