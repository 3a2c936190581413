package dev.corobridge;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the ring tests share: a put for actors, which may not throw checked exceptions, rings at
 * the end of an array, and a take as a number.
 */
final class Rings {
    private Rings() {}

    /**
     * An unbounded ring whose first array has been filled and emptied: the producer's next put
     * links a new array, and the consumer's next take has to follow that link.
     */
    static RingBuffer<Integer> unboundedAtTheEndOfAnArray() {
        return filledAndEmptied(RingBuffer.unbounded(), RingBuffer.ARRAY_SLOTS);
    }

    /**
     * A ring of two arrays, 257 slots, each filled and emptied: the producer's next put links the
     * last array back to the first, and the consumer's next take has to follow that link.
     */
    static RingBuffer<Integer> boundedAtTheEndOfItsLastArray() {
        int capacity = RingBuffer.ARRAY_SLOTS + 1;
        return filledAndEmptied(new RingBuffer<>(capacity), capacity);
    }

    private static RingBuffer<Integer> filledAndEmptied(RingBuffer<Integer> ring, int elements) {
        for (int i = 0; i < elements; i++) {
            put(ring, 0);
            ring.poll();
        }
        return ring;
    }

    /** What a take gave, as a number: -1 nothing, -2 the end, else the element. */
    static int taken(@Nullable Optional<Integer> element) {
        return element == null ? -1 : element.orElse(-2);
    }

    /** {@link RingBuffer#put}; no one interrupts a jcstress actor, so an interrupt is a failure. */
    static boolean put(RingBuffer<Integer> ring, int element) {
        try {
            return ring.put(element);
        } catch (InterruptedException unexpected) {
            throw new AssertionError(unexpected);
        }
    }
}
