package dev.corobridge;

import dev.corobridge.bridge.Origin;
import dev.corobridge.bridge.calls.CallRun;
import dev.corobridge.bridge.calls.RateWindow;
import dev.corobridge.bridge.calls.RetryRules;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A plan for calling something once per input, many times over, with a bound on how many calls
 * are in flight (seed 000: "I had to call a server over a lakh times"): asyncio's
 * {@code gather} behind a {@code Semaphore}, without creating every task up front.
 *
 * <pre>{@code
 * Task<List<User>> users = Calls.over(userIds)
 *         .concurrency(16)                                        // at most 16 requests at once
 *         .rateLimit(RateLimiter.of(100, Duration.ofSeconds(1)))  // at most 100 starts a second
 *         .retry(RetryPolicy.builder().maxAttempts(3).build())
 *         .onProgress(p -> log.info("{}", p))
 *         .map(id -> client.sendAsync(requestFor(id), ofString()).thenApply(User::parse));
 * }</pre>
 *
 * <h2>The plan</h2>
 * A plan is immutable: each setter returns a new plan and leaves this one as it was, so a plan
 * can be kept and run many times (if its inputs can be iterated again). Nothing runs until
 * {@link #map}, {@link #mapSettled} or {@link #mapUnordered}; each of them starts one run.
 *
 * <h2>Lazy inputs, bounded calls</h2>
 * Inputs are pulled one at a time, only when one of the {@link #concurrency} slots is free, by a
 * single coroutine (so the iterator need not be thread-safe). An input holds its slot from the
 * moment it is pulled, while it waits for the rate limiter, through its call and retries, until
 * its result has been handed on: a million inputs at concurrency 64 never means more than 64
 * inputs held or calls alive at once, and an endless iterator is fine with {@code mapUnordered}.
 *
 * <h2>Where calls run</h2>
 * A run is a detached task on the running loop, like {@link Coroutines#async}: inside a body
 * that corobridge runs, on that body's dispatcher (so inside {@code Coroutines.run} every call
 * starts on the calling thread, and inside a virtual-time test every wait follows the virtual
 * clock); from a plain thread, on kotlinx's {@code Dispatchers.Default}. The function given to
 * {@code map} runs there and must not block: it starts the call and returns its stage.
 *
 * <h2>Cancellation and ownership</h2>
 * The stage each call returns belongs to the run: cancelling the run's task (or closing the
 * {@code mapUnordered} generator) stops pulling inputs and cancels every call in flight, and so
 * its stage (an HTTP request is aborted). Return a {@code copy()} of a future that is shared.
 *
 * <p>Thread-safe.
 *
 * @param <I> the type of the inputs
 * @since 0.1
 */
public final class Calls<I> {
    private static final int DEFAULT_CONCURRENCY = 16;

    private final Inputs<I> inputs;
    private final int concurrency;
    private final @Nullable RateLimiter rateLimiter;
    private final @Nullable RetryPolicy retry;
    private final @Nullable Consumer<? super Progress> onProgress;

    private Calls(Inputs<I> inputs, int concurrency, @Nullable RateLimiter rateLimiter, @Nullable RetryPolicy retry,
            @Nullable Consumer<? super Progress> onProgress) {
        this.inputs = inputs;
        this.concurrency = concurrency;
        this.rateLimiter = rateLimiter;
        this.retry = retry;
        this.onProgress = onProgress;
    }

    /**
     * Starts a plan over {@code inputs}, with concurrency 16, no rate
     * limit, no retry and no progress callback. Each run iterates {@code inputs} afresh. When
     * {@code inputs} is a {@link Collection}, {@link Progress#total()} is its size.
     *
     * <pre>{@code
     * Task<List<Integer>> lengths = Calls.over(List.of("a", "bb")).map(s -> completedFuture(s.length()));
     * }</pre>
     *
     * @param inputs the inputs; {@code null} elements are passed to the function as they are
     * @param <I> the type of the inputs
     * @return a new plan
     */
    public static <I> Calls<I> over(Iterable<? extends I> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        return new Calls<>(new Inputs<>(inputs, null), DEFAULT_CONCURRENCY, null, null, null);
    }

    /**
     * Starts a plan over the remaining elements of {@code inputs}, which may be endless. An
     * iterator can be consumed only once, so a plan made by this method can run once.
     *
     * <pre>{@code
     * Iterator<Long> ids = LongStream.iterate(0, i -> i + 1).iterator();
     * try (Generator<Reply> replies = Calls.over(ids).concurrency(8).mapUnordered(id -> ask(id))) { ... }
     * }</pre>
     *
     * @param inputs the inputs, pulled only by the run, one at a time
     * @param <I> the type of the inputs
     * @return a new plan
     */
    public static <I> Calls<I> over(Iterator<? extends I> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        return new Calls<>(new Inputs<>(null, inputs), DEFAULT_CONCURRENCY, null, null, null);
    }

    /**
     * Returns a plan with at most {@code concurrency} calls in flight (asyncio's
     * {@code Semaphore(n)} around each call). Default 16.
     *
     * @param concurrency the most calls at once
     * @return a new plan
     * @throws IllegalArgumentException if {@code concurrency} is not positive
     */
    public Calls<I> concurrency(int concurrency) {
        if (concurrency <= 0) {
            throw new IllegalArgumentException("concurrency must be > 0, was " + concurrency);
        }
        return new Calls<>(inputs, concurrency, rateLimiter, retry, onProgress);
    }

    /**
     * Returns a plan whose calls each wait for {@code limiter} before they start. Retries of a
     * call do not take another permit. The limiter may be shared with other plans and code, which
     * then share its rate.
     *
     * @param limiter the rate limit on starts
     * @return a new plan
     */
    public Calls<I> rateLimit(RateLimiter limiter) {
        Objects.requireNonNull(limiter, "limiter");
        return new Calls<>(inputs, concurrency, limiter, retry, onProgress);
    }

    /**
     * Returns a plan whose calls are retried by {@code policy}: the function is called again for
     * the same input, after the policy's backoff, while the call keeps its slot. A call fails only
     * with its last failure, carrying the earlier ones as suppressed.
     *
     * @param policy the retry policy
     * @return a new plan
     */
    public Calls<I> retry(RetryPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return new Calls<>(inputs, concurrency, rateLimiter, policy, onProgress);
    }

    /**
     * Returns a plan that reports its progress to {@code callback} after each call ends, with a
     * snapshot taken at that moment. Calls cancelled because the run stopped are not reported.
     *
     * <p>The callback is never called concurrently with itself, and gets the snapshots in the
     * order they were taken; every snapshot has been handed out before the run's task completes.
     * It runs on a thread where a call ended (or one that is handing out snapshots queued while
     * it ran), so it should be quick and must not block: calls that end meanwhile queue their
     * snapshots for it. An exception it throws goes to the thread's uncaught exception handler and
     * does not stop the run.
     *
     * @param callback receives each snapshot
     * @return a new plan
     */
    public Calls<I> onProgress(Consumer<? super Progress> callback) {
        Objects.requireNonNull(callback, "callback");
        return new Calls<>(inputs, concurrency, rateLimiter, retry, callback);
    }

    /**
     * Runs the plan and collects the values in input order, failing fast: the first call that
     * fails (after its retries) stops the run, which cancels the calls in flight and pulls no more
     * inputs; the task then fails with that original exception. asyncio's {@code gather}.
     *
     * <pre>{@code
     * List<String> pages = Calls.over(urls).concurrency(8).map(url -> fetch(url)).join();
     * }</pre>
     *
     * @param function starts the call for one input and returns its stage; it must not block
     * @param <O> the type of the values
     * @return the run's task, completing with the values as an unmodifiable list; cancelling it
     *     stops the run and cancels the calls in flight
     * @throws IllegalStateException if the plan was made from an {@link Iterator} that an earlier
     *     run has taken
     */
    public <O extends @Nullable Object> Task<List<O>> map(Function<? super I, ? extends CompletionStage<O>> function) {
        CallRun<I, O> run = newRun(Objects.requireNonNull(function, "function"));
        return Task.of(Origin.detached().suspendCall(continuation -> run.inOrder(continuation)));
    }

    /**
     * Runs the plan to the end and collects each call's {@link Outcome} in input order: a
     * failure of one call (after its retries) is recorded and the others carry on. asyncio's
     * {@code gather(..., return_exceptions=True)}.
     *
     * <pre>{@code
     * for (Outcome<String> page : Calls.over(urls).mapSettled(url -> fetch(url)).join()) { ... }
     * }</pre>
     *
     * @param function starts the call for one input and returns its stage; it must not block
     * @param <O> the type of the values
     * @return the run's task, completing with the outcomes as an unmodifiable list; it fails only
     *     if the inputs' iterator throws; cancelling it stops the run and cancels the calls in
     *     flight
     * @throws IllegalStateException if the plan was made from an {@link Iterator} that an earlier
     *     run has taken
     */
    public <O extends @Nullable Object> Task<List<Outcome<O>>> mapSettled(Function<? super I, ? extends CompletionStage<O>> function) {
        CallRun<I, O> run = newRun(Objects.requireNonNull(function, "function"));
        return Task.of(Origin.detached().suspendCall(continuation -> run.<Outcome<O>>settled(
                (value, failure) -> failure == null ? Outcome.success(value) : Outcome.failure(failure), continuation)));
    }

    /**
     * Runs the plan and hands out the values as the calls complete: asyncio's
     * {@code as_completed}, over lazy inputs. The run starts at once. A value waits, holding its
     * call's slot, until the consumer takes it, so a slow consumer slows the run down instead of
     * piling values up. The first failure (after retries) stops the run and ends the generator with
     * that original exception after the values that came before it. Closing the generator stops
     * the run and cancels the calls in flight.
     *
     * <pre>{@code
     * try (Generator<Reply> replies = Calls.over(ids).concurrency(32).mapUnordered(id -> ask(id))) {
     *     replies.forEach(reply -> System.out.println(reply));   // fastest first
     * }
     * }</pre>
     *
     * @param function starts the call for one input and returns its stage; it must not block, and
     *     the stage must not complete with {@code null}
     * @param <O> the type of the values
     * @return a generator of the values in completion order; close it unless it is consumed to
     *     the end
     * @throws IllegalStateException if the plan was made from an {@link Iterator} that an earlier
     *     run has taken
     */
    public <O> Generator<O> mapUnordered(Function<? super I, ? extends CompletionStage<O>> function) {
        CallRun<I, O> run = newRun(Objects.requireNonNull(function, "function"));
        return Generator.from(run.unordered());
    }

    private <O> CallRun<I, O> newRun(Function<? super I, ? extends CompletionStage<O>> function) {
        Iterator<? extends I> iterator = inputs.take();
        RateLimiter limiter = rateLimiter;
        RetryPolicy policy = retry;
        RateWindow window = limiter == null ? null : limiter.window();
        RetryRules rules = policy == null ? null : policy.rules();
        return new CallRun<>(iterator, concurrency, window, rules, function, ProgressReporter.of(onProgress, inputs.size()));
    }

    @Override
    public String toString() {
        return "Calls[concurrency=" + concurrency + (rateLimiter == null ? "" : ", " + rateLimiter)
                + (retry == null ? "" : ", " + retry) + "]";
    }

    /** The inputs of a plan: an iterable, iterated afresh by each run, or an iterator, taken by the first. */
    private static final class Inputs<I> {
        private final @Nullable Iterable<? extends I> iterable;
        private final @Nullable Iterator<? extends I> iterator;
        private final AtomicBoolean taken = new AtomicBoolean();

        Inputs(@Nullable Iterable<? extends I> iterable, @Nullable Iterator<? extends I> iterator) {
            this.iterable = iterable;
            this.iterator = iterator;
        }

        Iterator<? extends I> take() {
            if (iterable != null) {
                return Objects.requireNonNull(iterable.iterator(), "inputs.iterator() returned null");
            }
            if (!taken.compareAndSet(false, true)) {
                throw new IllegalStateException("this plan's inputs are an Iterator, which an earlier run has taken;"
                        + " make a plan over an Iterable to run it more than once");
            }
            return Objects.requireNonNull(iterator, "iterator");
        }

        /** The number of inputs when known up front, else -1. */
        long size() {
            return iterable instanceof Collection<?> collection ? collection.size() : -1;
        }
    }
}
