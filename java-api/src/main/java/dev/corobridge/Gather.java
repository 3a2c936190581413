package dev.corobridge;

import dev.corobridge.bridge.Stages;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The combinators over many stages: gather (all, fail-fast), gather settled (all outcomes) and
 * race (first success). Counter- and array-based, with no coroutine and no thread hop: the last
 * stage to complete completes the result on its own thread.
 */
final class Gather {
    private Gather() {}

    static <T> CompletableFuture<List<T>> all(Collection<? extends CompletionStage<? extends T>> stages) {
        CompletableFuture<? extends T>[] futures = futuresOf(stages);
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        if (futures.length == 0) {
            result.complete(List.of());
            return result;
        }
        AllValues<T> values = new AllValues<>(result, futures);
        cancelAllWhenFailed(result, futures);
        for (int i = 0; i < futures.length; i++) {
            futures[i].whenComplete(new ValueSlot<>(values, i));
        }
        return result;
    }

    /**
     * The values gathered so far, and how many are still missing; the stage that brings the last
     * one completes the result, and the first failure fails it.
     */
    private static final class AllValues<T> {
        private final CompletableFuture<List<T>> result;
        private final CompletableFuture<?>[] futures;
        private final @Nullable Object[] values;
        /** How many values are still missing; -1 once a failure has decided the result. */
        private final AtomicInteger missing;

        AllValues(CompletableFuture<List<T>> result, CompletableFuture<?>[] futures) {
            this.result = result;
            this.futures = futures;
            this.values = new Object[futures.length];
            this.missing = new AtomicInteger(futures.length);
        }

        void put(int index, @Nullable Object value) {
            values[index] = value;
            if (missing.decrementAndGet() == 0) {
                result.complete(listOf(values));
            }
        }

        /**
         * The first failure cancels the other stages and then fails the result, so that whoever
         * sees the result fail finds them cancelled; the failures those cancellations cause come
         * second. (With a failure, some value is missing for good: the count is still above 0.)
         */
        void fail(Throwable failure) {
            if (missing.getAndSet(-1) > 0) {
                cancelAll(futures);
                result.completeExceptionally(Stages.unwrap(failure));
            }
        }
    }

    /**
     * One gathered stage's listener: a small object per stage rather than a lambda that captures
     * the shared state piece by piece, since a gather may have 100,000 of them.
     */
    private static final class ValueSlot<T> implements BiConsumer<T, @Nullable Throwable> {
        private final AllValues<?> values;
        private final int index;

        ValueSlot(AllValues<?> values, int index) {
            this.values = values;
            this.index = index;
        }

        @Override
        public void accept(T value, @Nullable Throwable failure) {
            if (failure != null) {
                values.fail(failure);
            } else {
                values.put(index, value);
            }
        }
    }

    static <T> CompletableFuture<List<Outcome<T>>> settled(Collection<? extends CompletionStage<? extends T>> stages) {
        CompletableFuture<? extends T>[] futures = futuresOf(stages);
        CompletableFuture<List<Outcome<T>>> result = new CompletableFuture<>();
        if (futures.length == 0) {
            result.complete(List.of());
            return result;
        }
        Object[] outcomes = new Object[futures.length];
        AtomicInteger remaining = new AtomicInteger(futures.length);
        cancelAllWhenFailed(result, futures);
        for (int i = 0; i < futures.length; i++) {
            int index = i;
            futures[i].whenComplete((value, failure) -> {
                outcomes[index] = failure == null ? Outcome.success(value) : Outcome.failure(Stages.unwrap(failure));
                if (remaining.decrementAndGet() == 0) {
                    result.complete(listOf(outcomes));
                }
            });
        }
        return result;
    }

    static <T> CompletableFuture<T> race(Collection<? extends CompletionStage<? extends T>> stages) {
        CompletableFuture<? extends T>[] futures = futuresOf(stages);
        if (futures.length == 0) {
            throw new IllegalArgumentException("race needs at least one stage, was given none");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(futures.length); // -1 once a success has won
        Throwable[] failures = new Throwable[futures.length];
        result.whenComplete((value, failure) -> cancelAll(futures)); // a result completed or cancelled from outside
        for (int i = 0; i < futures.length; i++) {
            int index = i;
            futures[i].whenComplete((value, failure) -> {
                if (failure == null) {
                    // The winner cancels the others before it completes the result, so that whoever
                    // sees the result finds them cancelled; their cancellations then decide nothing.
                    if (remaining.getAndSet(-1) > 0) {
                        cancelAll(futures);
                        result.complete(value);
                    }
                    return;
                }
                failures[index] = Stages.unwrap(failure);
                if (remaining.decrementAndGet() == 0) { // every stage failed: no success can come
                    result.completeExceptionally(firstWithOthersSuppressed(failures));
                }
            });
        }
        return result;
    }

    private static Throwable firstWithOthersSuppressed(Throwable[] failures) {
        Throwable first = failures[0];
        for (int i = 1; i < failures.length; i++) {
            if (failures[i] != first) {
                first.addSuppressed(failures[i]);
            }
        }
        return first;
    }

    @SuppressWarnings("unchecked") // generic array: each element is checked to be a future of ? extends T
    private static <T> CompletableFuture<? extends T>[] futuresOf(Collection<? extends CompletionStage<? extends T>> stages) {
        Objects.requireNonNull(stages, "stages");
        CompletableFuture<? extends T>[] futures = (CompletableFuture<? extends T>[]) new CompletableFuture<?>[stages.size()];
        int i = 0;
        for (CompletionStage<? extends T> stage : stages) {
            if (stage == null) {
                throw new NullPointerException("stages[" + i + "]");
            }
            futures[i++] = Stages.toFuture(stage);
        }
        return futures;
    }

    private static void cancelAllWhenFailed(CompletableFuture<?> result, CompletableFuture<?>[] futures) {
        result.whenComplete((value, failure) -> {
            if (failure != null) {
                cancelAll(futures);
            }
        });
    }

    private static void cancelAll(CompletableFuture<?>[] futures) {
        for (CompletableFuture<?> future : futures) {
            if (!future.isDone()) {
                future.cancel(false);
            }
        }
    }

    @SuppressWarnings("unchecked") // the array holds exactly the gathered values, in input order
    private static <E> List<E> listOf(@Nullable Object[] values) {
        return Collections.unmodifiableList((List<E>) Arrays.asList(values));
    }
}
