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
 * Blocking consumption of an asynchronous source of elements, shared by channels and generators.
 */
final class Pull {
    private Pull() {}

    /** An iterator over {@code next}, which blocks until it has the next element, or an empty optional at the end. */
    static <T> Iterator<T> iterator(Supplier<Optional<T>> next) {
        return new Iterator<>() {
            private @Nullable Optional<T> lookahead;

            @Override
            public boolean hasNext() {
                Optional<T> current = lookahead;
                if (current == null) {
                    current = next.get();
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
     * is kept and a {@link CancellationException} is thrown; but if the future completed before
     * it could be cancelled, its outcome is not dropped: it is returned or thrown as above, with
     * the interrupt flag kept.
     */
    static <T> T await(CompletableFuture<T> future, String operation) {
        if (!future.isDone()) {
            Checks.mayBlock(operation);
        }
        try {
            return future.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            if (!future.cancel(false) && !future.isCancelled()) {
                return await(future, operation); // completed first: get() returns it without looking at the flag
            }
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
