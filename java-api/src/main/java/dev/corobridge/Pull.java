package dev.corobridge;

import dev.corobridge.bridge.Stages;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Blocking consumption of an asynchronous source of elements: {@code next} gives a future of the
 * next element, or of an empty optional at the end. Shared by channels and generators.
 */
final class Pull {
    private Pull() {}

    /** A blocking iterator over {@code next}; waiting is done with {@code operation}'s name in errors. */
    static <T> Iterator<T> iterator(Supplier<CompletableFuture<Optional<T>>> next, String operation) {
        return new Iterator<>() {
            private @Nullable Optional<T> lookahead;

            @Override
            public boolean hasNext() {
                Optional<T> current = lookahead;
                if (current == null) {
                    current = await(next.get(), operation);
                    lookahead = current;
                }
                return current.isPresent();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more elements");
                }
                Optional<T> current = lookahead;
                lookahead = null;
                return current.orElseThrow();
            }
        };
    }

    /** A sequential, ordered stream over {@code iterator} that runs {@code onClose} when closed. */
    static <T> Stream<T> stream(Iterator<T> iterator, Runnable onClose) {
        Spliterator<T> spliterator = Spliterators.spliteratorUnknownSize(
                iterator, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(onClose);
    }

    /**
     * Blocks until {@code future} completes and returns its value, or throws its original
     * exception as it is, even a checked one (an {@code Iterator} cannot declare it, and wrapping
     * it would hide it). If the thread is interrupted, the future is cancelled, the interrupt flag
     * is kept and a {@link CancellationException} is thrown.
     */
    static <T> T await(CompletableFuture<T> future, String operation) {
        if (!future.isDone()) {
            Checks.mayBlock(operation);
        }
        try {
            return future.get();
        } catch (InterruptedException interrupted) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException(operation + " was interrupted");
            cancelled.initCause(interrupted);
            throw cancelled;
        } catch (ExecutionException failed) {
            throw Pull.<RuntimeException>rethrow(Stages.unwrap(failed.getCause()));
        }
    }

    /**
     * Blocks until {@code future} completes, for a producer thread: like {@link #await}, but an
     * interrupt cancels the future and is thrown as {@link InterruptedException}.
     */
    static <T> T awaitInterruptibly(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException interrupted) {
            future.cancel(false);
            throw interrupted;
        } catch (ExecutionException failed) {
            throw Pull.<RuntimeException>rethrow(Stages.unwrap(failed.getCause()));
        }
    }

    @SuppressWarnings("unchecked") // the compiler's checked-exception rule, not the JVM's: the original is thrown as it is
    static <E extends Throwable> E rethrow(Throwable failure) throws E {
        throw (E) failure;
    }
}
