package dev.corobridge;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What stands between a {@link Generator}'s producer and its consumer: for the producer of
 * {@link Generator#of} with a buffer, a ring of the library's own ({@link RingBuffer}); otherwise a
 * kotlinx channel ({@link ChannelBuffer}).
 *
 * <p>The end of the sequence is an empty optional; the producer's failure is thrown, or fails a
 * future, as it is.
 *
 * @param <T> the type of the elements
 */
interface Buffer<T> {
    /**
     * Takes the next element if there is one now, unless receives wait for it.
     *
     * @return the element, an empty optional once the sequence has ended, or null if there is
     *     nothing to take now
     */
    @Nullable Optional<T> poll();

    /**
     * {@link #poll()}, retried for a moment (on a machine with more than one core, up to 20 µs,
     * or 200 µs for a ring whose producer a take has just woken) before giving up, for a consumer
     * that may block and would otherwise wait.
     *
     * @return as {@link #poll()}; null also as soon as the thread is interrupted
     */
    @Nullable Optional<T> pollSpinning();

    /**
     * For a consumer that may block: {@link #pollSpinning()}, and then, for a buffer that can,
     * waiting on this thread, without a future, until there is an element or the end. A buffer
     * that cannot does no more than {@link #pollSpinning()}.
     *
     * @return as {@link #poll()}; null also when this buffer cannot wait so, receives waiting
     *     before this consumer, or the thread being interrupted: the caller then waits through
     *     {@link #receive(boolean)}, which keeps the order of the waits and answers the interrupt
     */
    default @Nullable Optional<T> takeWaiting() {
        return pollSpinning();
    }

    /**
     * For {@link Generator#forEach}: claims, under one lock, the elements there are now (unless
     * receives wait for them), then hands them to {@code action} in order, each taken from the
     * buffer just before {@code action} gets it, so that the producer is never further ahead than
     * with one take per element. A buffer that cannot do better than {@link #poll()} hands over
     * none.
     *
     * <p>The elements claimed and not handed over, when {@code action} throws or {@code stop}
     * says so, stay claimed: {@code forEach} closes the generator when it returns, and the close
     * drops them, as it drops every element not consumed.
     *
     * @param action runs for each element, on the calling thread, outside the lock
     * @param stop asked before each element; true ends the hand-over there (a close meanwhile)
     * @return how many elements {@code action} got; 0 also at the end of the sequence, which
     *     {@link #poll()} then gives
     */
    default int forEachReady(Consumer<? super T> action, BooleanSupplier stop) {
        return 0;
    }

    /**
     * Asks for the next element after those already asked for.
     *
     * @param dispatched whether the future completes on the caller's running loop, where what
     *     depends on it then runs (for {@link Generator#next()}); if not, it completes where the
     *     element is handed over, which suits a thread that blocks on it and only has to wake up
     * @return a future completed with the element or the end. It is the generator's, not the calling
     *     body's: that body ending does not cancel it, so that the generator can hand it to its
     *     next caller (see {@code Generator.Claim})
     */
    CompletableFuture<Optional<T>> receive(boolean dispatched);

    /**
     * Puts an element, for the producer: at once if there is room, else after waiting for it.
     *
     * @param element the element
     * @return true once put; false if the buffer was cancelled, and the element dropped
     * @throws InterruptedException if the producer's thread is interrupted while it waits
     */
    boolean put(T element) throws InterruptedException;

    /**
     * Ends the sequence after the elements put so far, for the producer.
     *
     * @param failure the producer's failure, which consumers then get; null for a plain end
     */
    void close(@Nullable Throwable failure);

    /** Drops the elements, ends the sequence for the consumer and fails the producer's puts. */
    void cancel();
}
