package dev.corobridge;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A generator that the consumer can send values back into: Python's generator with
 * {@code send} (PEP 342), where {@code reply = yield element} hands out an element and receives
 * what the consumer sends next. For the other form of seed 003, a coroutine that only takes
 * values, see {@link Receiver}.
 *
 * <pre>{@code
 * // Python:  def averager():  total = n = 0; avg = None
 * //              while True:  x = yield avg; total += x; n += 1; avg = total / n
 * TwoWayGenerator<Double, Double> averager = TwoWayGenerator.of(yielder -> {
 *     double total = 0;
 *     int n = 0;
 *     Double x = yielder.yield(Double.NaN);   // primed by next()
 *     while (true) {
 *         total += x;
 *         n++;
 *         x = yielder.yield(total / n);
 *     }
 * });
 * averager.next();                 // runs to the first yield, as Python's next(gen)
 * averager.send(10.0);             // completes with Optional[10.0]
 * averager.send(20.0);             // completes with Optional[15.0]
 * averager.close();
 * }</pre>
 *
 * <p>As in Python, the first call must be {@link #next()} (which runs the body to its first
 * {@code yield}); {@code next()} later resumes the body with {@code null} as the value of its
 * {@code yield}, Python's {@code send(None)}. One call at a time: a call made while the previous
 * one's future is not complete fails, as Python's "generator already executing" does. The body is
 * a blocking body, as for {@link Generator}; {@link #close()} interrupts its {@code yield} and runs
 * its {@code finally} blocks.
 *
 * <p>Thread-safe in that any thread may make the calls, one after the other.
 *
 * @param <T> the type of the elements yielded
 * @param <S> the type of the values sent back
 * @since 0.1
 */
public final class TwoWayGenerator<T, S> implements AutoCloseable {
    /**
     * The body of a two-way generator.
     *
     * @param <T> the type of the elements yielded
     * @param <S> the type of the values sent back
     */
    @FunctionalInterface
    public interface Body<T, S> {
        /**
         * Produces elements with {@code yielder}, reading what the consumer sends back.
         *
         * @param yielder hands out elements and returns the values sent back
         * @throws Exception any failure; the consumer gets it as it is
         */
        void generate(Yielder<T, S> yielder) throws Exception;
    }

    /**
     * Python's {@code reply = yield element}, for the body of a two-way generator.
     *
     * @param <T> the type of the elements yielded
     * @param <S> the type of the values sent back
     */
    @FunctionalInterface
    public interface Yielder<T, S> {
        /**
         * Hands {@code element} to the consumer and blocks until the consumer resumes the body.
         *
         * @param element the element
         * @return the value the consumer sent, or {@code null} if it resumed with {@link #next()}
         * @throws InterruptedException if the generator was closed: let it propagate
         * @throws NullPointerException if {@code element} is {@code null}
         */
        @Nullable S yield(T element) throws InterruptedException;
    }

    private final Generator<T> elements;
    private final AsyncChannel<Optional<S>> replies = AsyncChannel.unlimited();
    private boolean started;
    private CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

    private TwoWayGenerator(Body<T, S> body) {
        this.elements = Generator.of(yielder -> body.generate(element -> {
            yielder.yield(element);
            return Pull.awaitInterruptibly(replies.receive()).orElse(null);
        }));
    }

    /**
     * Creates a two-way generator; its body starts on the first {@link #next()}.
     *
     * @param body the producer, a blocking body
     * @param <T> the type of the elements yielded
     * @param <S> the type of the values sent back
     * @return a new generator; close it unless it is consumed to the end
     */
    public static <T, S> TwoWayGenerator<T, S> of(Body<T, S> body) {
        return new TwoWayGenerator<>(Objects.requireNonNull(body, "body"));
    }

    /**
     * Resumes the body (with {@code null} as the value of its {@code yield}) and returns the next
     * element: Python's {@code next(gen)}. The first call starts the body.
     *
     * @return a future of the next element, or of an empty optional once the body has returned
     *     or the generator was closed; it fails with the body's original exception
     * @throws IllegalStateException if the previous call's future is not complete yet
     */
    public synchronized CompletableFuture<Optional<T>> next() {
        return resume(Optional.empty());
    }

    /**
     * Sends {@code value} as the result of the body's pending {@code yield}, and returns the next
     * element: Python's {@code gen.send(value)}.
     *
     * @param value the value the body's {@code yield} returns
     * @return a future of the next element, or of an empty optional once the body has returned
     *     or the generator was closed; it fails with the body's original exception
     * @throws IllegalStateException if the body has not started yet (call {@link #next()} first,
     *     as in Python), or if the previous call's future is not complete yet
     * @throws NullPointerException if {@code value} is {@code null}
     */
    public synchronized CompletableFuture<Optional<T>> send(S value) {
        Objects.requireNonNull(value, "value");
        if (!started) {
            throw new IllegalStateException("can't send a value to a just-started generator: call next() first");
        }
        return resume(Optional.of(value));
    }

    private CompletableFuture<Optional<T>> resume(Optional<S> reply) {
        if (!previous.isDone()) {
            throw new IllegalStateException("generator already executing: wait for the previous call's future");
        }
        if (started) {
            replies.trySend(reply);
        }
        started = true;
        CompletableFuture<Optional<T>> next = elements.next();
        previous = next;
        return next;
    }

    /**
     * Closes the generator: Python's {@code generator.close()}. The body's waiting {@code yield}
     * throws {@link InterruptedException} and its {@code finally} blocks run; when the calling
     * thread may block, this waits for them (see {@link Generator#close()}). Idempotent.
     */
    @Override
    public void close() {
        replies.cancel();
        elements.close();
    }

    @Override
    public String toString() {
        return "TwoWayGenerator[" + elements + "]";
    }
}
