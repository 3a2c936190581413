package dev.corobridge;

/** The ring tests' put, for actors, which may not throw checked exceptions. */
final class Rings {
    private Rings() {}

    /** {@link RingBuffer#put}; no one interrupts a jcstress actor, so an interrupt is a failure. */
    static boolean put(RingBuffer<Integer> ring, int element) {
        try {
            return ring.put(element);
        } catch (InterruptedException unexpected) {
            throw new AssertionError(unexpected);
        }
    }
}
