package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corobridge.bridge.Stages;
import dev.corobridge.testing.NoLeaks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to the entry points that {@link BadInputTest} does not cover (channels, generators,
 * receivers, many calls, rate limits, retries, scopes): each row is a call, the exception type and
 * message it must fail with (thrown at the call, or as the failure of the future it returns), and a
 * check that the object it was made on is as it was before.
 */
@ExtendWith(NoLeaks.class)
class BadInputTableTest {
    private static final Supplier<CompletionStage<String>> BODY = () -> CompletableFuture.completedFuture("x");
    private static final Function<Integer, CompletionStage<Integer>> ECHO = CompletableFuture::completedFuture;

    /** A call that either throws or returns a future that fails. */
    @FunctionalInterface
    interface BadCall {
        Object call() throws Exception;
    }

    private static Arguments row(String name, Class<? extends Throwable> type, String message, BadCall call) {
        return row(name, type, message, call, () -> { });
    }

    private static Arguments row(String name, Class<? extends Throwable> type, String message, BadCall call, Runnable unchanged) {
        return Arguments.of(name, type, message, call, unchanged);
    }

    static Stream<Arguments> rows() throws Exception {
        AsyncChannel<String> holdingA = AsyncChannel.buffered(2);
        holdingA.trySend("a");
        Runnable stillHoldsA = () -> {
            assertFalse(holdingA.isClosedForSend(), "the channel was closed");
            assertEquals(Optional.of("a"), holdingA.tryReceive());
            assertEquals(Optional.empty(), holdingA.tryReceive());
            holdingA.trySend("a");
        };
        AsyncChannel<String> closed = AsyncChannel.unlimited();
        closed.close();
        Runnable stillClosed = () -> assertTrue(closed.isClosedForReceive());
        AsyncChannel<String> failed = AsyncChannel.rendezvous();
        IllegalStateException producerFailure = new IllegalStateException("producer failed");
        failed.close(producerFailure);

        TwoWayGenerator<String, String> fresh = TwoWayGenerator.of(yielder -> yielder.yield("first"));
        Receiver<String> receiver = Receiver.of(inbox -> { });
        Calls<Integer> plan = Calls.over(List.of(1, 2)).concurrency(2);
        Runnable planStillWorks = () -> assertEquals(List.of(1, 2), join(plan.map(ECHO)));
        RetryPolicy.Builder builder = RetryPolicy.builder().maxAttempts(3);
        Runnable builderUnchanged = () -> assertEquals(3, builder.build().maxAttempts());
        RetryPolicy policy = RetryPolicy.builder().build();
        TaskScope closedScope = TaskScope.open();
        closedScope.close();

        return Stream.of(
                // channels
                row("AsyncChannel.buffered(-1)", IllegalArgumentException.class, "capacity must be >= 0, was -1",
                        () -> AsyncChannel.buffered(-1)),
                row("AsyncChannel.buffered(-1, handler)", IllegalArgumentException.class, "capacity must be >= 0, was -1",
                        () -> AsyncChannel.buffered(-1, element -> { })),
                row("AsyncChannel.rendezvous(null)", NullPointerException.class, "onUndeliveredElement",
                        () -> AsyncChannel.rendezvous(null)),
                row("AsyncChannel.buffered(1, null)", NullPointerException.class, "onUndeliveredElement",
                        () -> AsyncChannel.buffered(1, null)),
                row("AsyncChannel.unlimited(null)", NullPointerException.class, "onUndeliveredElement",
                        () -> AsyncChannel.unlimited(null)),
                row("AsyncChannel.conflated(null)", NullPointerException.class, "onUndeliveredElement",
                        () -> AsyncChannel.conflated(null)),
                row("AsyncChannel.from(null)", NullPointerException.class, "channel", () -> AsyncChannel.from(null)),
                row("send(null)", NullPointerException.class, "element", () -> holdingA.send(null), stillHoldsA),
                row("trySend(null)", NullPointerException.class, "element", () -> holdingA.trySend(null), stillHoldsA),
                row("close(null)", NullPointerException.class, "cause", () -> holdingA.close(null), stillHoldsA),
                row("send after close", ChannelClosedException.class, "the channel is closed", () -> closed.send("late"),
                        stillClosed),
                row("receive after close", ChannelClosedException.class, "the channel is closed", closed::receive,
                        stillClosed),
                row("send after close(cause)", IllegalStateException.class, "producer failed", () -> failed.send("late")),
                row("receive after close(cause)", IllegalStateException.class, "producer failed", failed::receive),
                // generators and receivers
                row("Generator.of(-1, body)", IllegalArgumentException.class, "capacity must be >= 0, was -1",
                        () -> Generator.of(-1, yielder -> { })),
                row("Generator.of(null)", NullPointerException.class, "body", () -> Generator.of(null)),
                row("Generator.of(0, null)", NullPointerException.class, "body", () -> Generator.of(0, null)),
                row("Generator.from((Flow) null)", NullPointerException.class, "flow",
                        () -> Generator.from((kotlinx.coroutines.flow.Flow<String>) null)),
                row("Generator.from((ReceiveChannel) null)", NullPointerException.class, "channel",
                        () -> Generator.from((kotlinx.coroutines.channels.ReceiveChannel<String>) null)),
                row("Generator.forEach(null)", NullPointerException.class, "action",
                        () -> generatorOfOne(generator -> generator.forEach(null))),
                row("Generator.forEachAsync(null)", NullPointerException.class, "action",
                        () -> generatorOfOne(generator -> generator.forEachAsync(null))),
                row("yielder.yield(null)", NullPointerException.class, "element",
                        () -> generatorOfNull().next()),
                row("Coroutines.asCompleted(null)", NullPointerException.class, "stages", () -> Coroutines.asCompleted(null)),
                row("TwoWayGenerator.of(null)", NullPointerException.class, "body", () -> TwoWayGenerator.of(null)),
                row("TwoWayGenerator.send(null)", NullPointerException.class, "value", () -> fresh.send(null)),
                row("TwoWayGenerator.send before next", IllegalStateException.class,
                        "can't send a value to a just-started generator: call next() first", () -> fresh.send("early"),
                        () -> {
                            assertEquals(Optional.of("first"), join(fresh.next()));
                            fresh.close();
                        }),
                row("Receiver.of(null)", NullPointerException.class, "body", () -> Receiver.of(null)),
                row("Receiver.send(null)", NullPointerException.class, "value", () -> receiver.send(null),
                        receiver::close),
                // many calls
                row("Calls.over((Iterable) null)", NullPointerException.class, "inputs",
                        () -> Calls.over((Iterable<Integer>) null)),
                row("Calls.over((Iterator) null)", NullPointerException.class, "inputs",
                        () -> Calls.over((java.util.Iterator<Integer>) null)),
                row("concurrency(0)", IllegalArgumentException.class, "concurrency must be > 0, was 0",
                        () -> plan.concurrency(0), planStillWorks),
                row("concurrency(-3)", IllegalArgumentException.class, "concurrency must be > 0, was -3",
                        () -> plan.concurrency(-3), planStillWorks),
                row("rateLimit(null)", NullPointerException.class, "limiter", () -> plan.rateLimit(null), planStillWorks),
                row("retry(null)", NullPointerException.class, "policy", () -> plan.retry(null), planStillWorks),
                row("onProgress(null)", NullPointerException.class, "callback", () -> plan.onProgress(null), planStillWorks),
                row("map(null)", NullPointerException.class, "function", () -> plan.map(null), planStillWorks),
                row("mapSettled(null)", NullPointerException.class, "function", () -> plan.mapSettled(null), planStillWorks),
                row("mapUnordered(null)", NullPointerException.class, "function", () -> plan.mapUnordered(null), planStillWorks),
                row("second run over an Iterator", IllegalStateException.class, "this plan's inputs are an Iterator, which an"
                        + " earlier run has taken; make a plan over an Iterable to run it more than once", () -> {
                    Calls<Integer> once = Calls.over(List.of(1).iterator());
                    join(once.map(ECHO));
                    return once.map(ECHO);
                }),
                row("RateLimiter.of(0, 1s)", IllegalArgumentException.class, "permits must be > 0, was 0",
                        () -> RateLimiter.of(0, Duration.ofSeconds(1))),
                row("RateLimiter.of(-1, 1s)", IllegalArgumentException.class, "permits must be > 0, was -1",
                        () -> RateLimiter.of(-1, Duration.ofSeconds(1))),
                row("RateLimiter.of(1, null)", NullPointerException.class, "per", () -> RateLimiter.of(1, null)),
                row("RateLimiter.of(1, 0s)", IllegalArgumentException.class, "per must be > 0, was PT0S",
                        () -> RateLimiter.of(1, Duration.ZERO)),
                row("RateLimiter.of(1, -1s)", IllegalArgumentException.class, "per must be > 0, was PT-1S",
                        () -> RateLimiter.of(1, Duration.ofSeconds(-1))),
                // retries
                row("maxAttempts(0)", IllegalArgumentException.class, "maxAttempts must be >= 1, was 0",
                        () -> builder.maxAttempts(0), builderUnchanged),
                row("backoff(null, 1s)", NullPointerException.class, "first",
                        () -> builder.backoff(null, Duration.ofSeconds(1)), builderUnchanged),
                row("backoff(1s, null)", NullPointerException.class, "max",
                        () -> builder.backoff(Duration.ofSeconds(1), null), builderUnchanged),
                row("backoff(0s, 1s)", IllegalArgumentException.class, "first must be > 0, was PT0S",
                        () -> builder.backoff(Duration.ZERO, Duration.ofSeconds(1)), builderUnchanged),
                row("backoff(2s, 1s)", IllegalArgumentException.class, "max must be >= first (PT2S), was PT1S",
                        () -> builder.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)), builderUnchanged),
                row("jitter(-0.1)", IllegalArgumentException.class, "jitter must be between 0 and 1, was -0.1",
                        () -> builder.jitter(-0.1), builderUnchanged),
                row("jitter(1.5)", IllegalArgumentException.class, "jitter must be between 0 and 1, was 1.5",
                        () -> builder.jitter(1.5), builderUnchanged),
                row("jitter(NaN)", IllegalArgumentException.class, "jitter must be between 0 and 1, was NaN",
                        () -> builder.jitter(Double.NaN), builderUnchanged),
                row("retryOn((Class) null)", NullPointerException.class, "type",
                        () -> builder.retryOn((Class<? extends Throwable>) null), builderUnchanged),
                row("retryOn((Predicate) null)", NullPointerException.class, "rule",
                        () -> builder.retryOn((java.util.function.Predicate<Throwable>) null), builderUnchanged),
                row("retries(null)", NullPointerException.class, "failure", () -> policy.retries(null)),
                row("backoffAfter(0)", IllegalArgumentException.class, "failedAttempts must be >= 1, was 0",
                        () -> policy.backoffAfter(0)),
                row("Coroutines.retry(null, body)", NullPointerException.class, "policy", () -> Coroutines.retry(null, BODY)),
                row("Coroutines.retry(policy, null)", NullPointerException.class, "body", () -> Coroutines.retry(policy, null)),
                // scopes
                row("async on a closed scope", IllegalStateException.class,
                        "this scope is closed; open a new one to start more tasks", () -> closedScope.async(BODY)),
                row("asyncBlocking on a closed scope", IllegalStateException.class,
                        "this scope is closed; open a new one to start more tasks", () -> closedScope.asyncBlocking(() -> 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputFailsWithTheDocumentedExceptionAndLeavesTheObjectAsItWas(
            String name, Class<? extends Throwable> type, String message, BadCall call, Runnable unchanged) throws Exception {
        Throwable failure = failureOf(call);

        assertInstanceOf(type, failure, () -> name + " failed with " + failure);
        if (message != null) {
            assertEquals(message, failure.getMessage(), name);
        }
        unchanged.run();
    }

    @Test
    void aThrowingUndeliveredHandlerDisturbsNoOperationAndItsExceptionReachesTheUncaughtHandler() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        AsyncChannel<String> conflated = AsyncChannel.conflated(element -> {
            handled.add(element);
            throw new IllegalStateException("handler failed on " + element);
        });
        AsyncChannel<String> rendezvous = AsyncChannel.rendezvous(element -> {
            handled.add(element);
            throw new IllegalStateException("handler failed on " + element);
        });
        Thread thread = Thread.currentThread();
        Thread.UncaughtExceptionHandler previous = thread.getUncaughtExceptionHandler();
        thread.setUncaughtExceptionHandler((where, failure) -> uncaught.add(failure));
        try {
            conflated.trySend("replaced");

            boolean replaced = conflated.trySend("newest");
            conflated.cancel();
            CompletableFuture<Void> withdrawn = rendezvous.send("withdrawn");
            boolean cancelled = withdrawn.cancel(false);
            rendezvous.close();
            Throwable sendFailure = failureOf(() -> rendezvous.send("too late"));

            assertTrue(replaced);
            assertTrue(cancelled);
            assertInstanceOf(ChannelClosedException.class, sendFailure);
            assertTrue(conflated.isClosedForReceive());
        } finally {
            thread.setUncaughtExceptionHandler(previous);
        }
        assertEquals(List.of("replaced", "newest", "withdrawn", "too late"), handled);
        assertEquals(List.of("handler failed on replaced", "handler failed on newest", "handler failed on withdrawn",
                "handler failed on too late"), uncaught.stream().map(Throwable::getMessage).toList());
    }

    private static Throwable failureOf(BadCall call) throws Exception {
        Object result;
        try {
            result = call.call();
        } catch (Exception | Error thrown) {
            return thrown;
        }
        if (result instanceof CompletableFuture<?> future) {
            try {
                future.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException failed) {
                return Stages.unwrap(failed.getCause());
            }
        }
        return fail("no failure; returned " + result);
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Object generatorOfOne(java.util.function.Consumer<Generator<String>> use) {
        try (Generator<String> generator = Generator.of(yielder -> yielder.yield("one"))) {
            use.accept(generator);
        }
        return null;
    }

    private static Generator<String> generatorOfNull() {
        return Generator.of(yielder -> yielder.yield(null));
    }
}
