package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ExecutorsKt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.blockhound.BlockHound;

/**
 * The library never blocks a thread that runs coroutines, checked by BlockHound with kotlinx's own
 * integration (which marks {@code Dispatchers.Default} workers as threads that must not block).
 * Runs only in the {@code blockhound} surefire execution, in a JVM of its own. A blocking call is
 * recorded rather than thrown, so that one the library swallowed would still fail the test.
 */
@Tag("blockhound")
@ExtendWith(NoLeaks.class)
class BlockHoundTest {
    private static final Queue<String> BLOCKED = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void installBlockHound() {
        BlockHound.install(builder -> builder.blockingMethodCallback(
                method -> BLOCKED.add(Thread.currentThread().getName() + ": " + method)));
    }

    @BeforeEach
    void forgetEarlierCalls() {
        BLOCKED.clear();
    }

    @Test
    void theAgentCatchesABlockingCallOnADefaultDispatcherThread() throws Exception {
        CompletableFuture<Void> sleeper = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, ExecutorsKt.asExecutor(Dispatchers.getDefault()));

        sleeper.get(10, TimeUnit.SECONDS);

        assertTrue(BLOCKED.stream().anyMatch(call -> call.contains("sleep")), () -> "not caught: " + BLOCKED);
    }

    @Test
    void theMainEntryPointsNeverBlockADispatcherThread() throws Exception {
        AtomicInteger progressReports = new AtomicInteger();

        List<Object> results = Coroutines.taskGroup(scope -> {
            CompletableFuture<String> slept = Coroutines.sleep(Duration.ofMillis(2)).thenApply(nothing -> "slept");
            Task<String> blocking = scope.asyncBlocking(() -> Coroutines.await(Coroutines.sleep(Duration.ofMillis(1))) == null
                    ? "awaited in a blocking body" : "?");
            Task<String> timedOut = Coroutines.timeout(Duration.ofSeconds(5), () -> completed("in time"));
            CompletableFuture<List<String>> gathered = Coroutines.gather(List.of(slept, blocking, timedOut));
            CompletableFuture<String> raced = Coroutines.race(List.of(new CompletableFuture<String>(), completed("raced")));
            Task<String> supervised = Coroutines.supervisor(inner -> inner.async(() -> completed("supervised")));
            Task<String> retried = Coroutines.retry(RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofMillis(1),
                    Duration.ofMillis(2)).build(), new FailingOnce());
            Task<List<Integer>> called = Calls.over(List.of(1, 2, 3, 4)).concurrency(2)
                    .rateLimit(RateLimiter.of(100, Duration.ofMillis(10)))
                    .onProgress(progress -> progressReports.incrementAndGet())
                    .map(i -> Coroutines.sleep(Duration.ofMillis(1)).thenApply(nothing -> i * 2));
            CompletableFuture<String> channelled = channelRoundTrip();
            CompletableFuture<Optional<Integer>> generated = firstOf(Generator.of(yielder -> yielder.yield(42)));
            Task<Void> cancelled = Coroutines.async(CompletableFuture::new);
            CompletableFuture<Void> joined = cancelled.cancelAndJoin();
            return CompletableFuture.allOf(gathered, raced, supervised, retried, called, channelled, generated, joined)
                    .thenApply(nothing -> List.of(gathered.join(), raced.join(), supervised.join(), retried.join(),
                            called.join(), channelled.join(), generated.join()));
        }).get(30, TimeUnit.SECONDS);

        assertEquals(List.of(List.of("slept", "awaited in a blocking body", "in time"), "raced", "supervised", "second try",
                List.of(2, 4, 6, 8), "ping", Optional.of(42)), results);
        assertTrue(progressReports.get() > 0);
        assertEquals(List.of(), List.copyOf(BLOCKED), "blocking calls on dispatcher threads");
    }

    @Test
    void awaitOnADispatcherThreadIsRefusedByTheLibraryBeforeItBlocks() throws Exception {
        Throwable refused = refusalIn(() -> {
            try {
                return completed(String.valueOf(Coroutines.await(new CompletableFuture<String>())));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });

        assertInstanceOf(IllegalStateException.class, refused);
        assertTrue(refused.getMessage().startsWith("Coroutines.await blocks its thread"), refused.getMessage());
        assertEquals(List.of(), List.copyOf(BLOCKED));
    }

    @Test
    void closingAScopeOnADispatcherThreadIsRefusedByTheLibraryBeforeItBlocks() throws Exception {
        TaskScope scope = TaskScope.open();
        Task<String> child = scope.async(CompletableFuture::new);

        Throwable refused = refusalIn(() -> {
            scope.close();
            return completed("closed");
        });

        assertInstanceOf(IllegalStateException.class, refused);
        assertTrue(refused.getMessage().startsWith("TaskScope.close blocks its thread"), refused.getMessage());
        assertFalse(child.isDone(), "a refused close must not cancel the children");
        assertEquals(List.of(), List.copyOf(BLOCKED));
        scope.close();
    }

    private static Throwable refusalIn(Supplier<CompletionStage<String>> body) throws Exception {
        try {
            Coroutines.async(body).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            return failed.getCause();
        }
        throw new AssertionError("not refused");
    }

    private static CompletableFuture<String> channelRoundTrip() {
        AsyncChannel<String> channel = AsyncChannel.rendezvous();
        CompletableFuture<String> received = channel.receive();
        return channel.send("ping").thenCompose(sent -> {
            channel.close();
            return received;
        });
    }

    private static CompletableFuture<Optional<Integer>> firstOf(Generator<Integer> generator) {
        return generator.next().whenComplete((element, failure) -> generator.close());
    }

    private static <T> CompletableFuture<T> completed(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** Fails its first attempt, succeeds the second. */
    private static final class FailingOnce implements Supplier<CompletionStage<String>> {
        private final AtomicInteger attempts = new AtomicInteger();

        @Override
        public CompletionStage<String> get() {
            return attempts.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IllegalStateException("first try"))
                    : completed("second try");
        }
    }
}
