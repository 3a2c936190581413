package dev.corobridge;

/**
 * Hands a generator's elements to its consumer: what Python's {@code yield} statement does, for
 * the body of {@link Generator#of(Generator.Body)}.
 *
 * <pre>{@code
 * Generator<Integer> countdown = Generator.of(yielder -> {
 *     for (int i = 3; i > 0; i--) {
 *         yielder.yield(i);
 *     }
 * });
 * }</pre>
 *
 * <p>Only the generator's producer thread may call it.
 *
 * @param <T> the type of the elements
 * @since 0.1
 */
@FunctionalInterface
public interface Yielder<T> {
    /**
     * Hands {@code element} to the consumer, blocking the producer until the consumer asks for it
     * (or, with a buffer, until there is room in the buffer). On a machine with more than one
     * core the wait starts with a spin of up to 20 µs, as in {@link Generator#forEach} (with a
     * buffer, up to 200 µs when this producer has just woken a waiting consumer).
     *
     * @param element the element
     * @throws InterruptedException if the generator was closed, or its producer stopped by the
     *     end of the {@code Coroutines.run} it started in, before or while waiting; as with
     *     {@code BlockingQueue.put}, also when there is room and no wait. Let it propagate, so that
     *     the body's {@code finally} blocks run and the body ends (Python's {@code GeneratorExit})
     * @throws NullPointerException if {@code element} is {@code null}
     */
    void yield(T element) throws InterruptedException;
}
