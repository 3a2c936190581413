package dev.corobridge.testing;

/**
 * Iteration counts for the reliability tests, at two speeds: the default build runs the base
 * counts, and {@code mvn verify -Pstress} multiplies them (system property
 * {@code corobridge.stress}, 25 in that profile).
 */
public final class Stress {
    /** The multiplier in force: {@code corobridge.stress}, 1 unless set. */
    public static final int FACTOR = Math.max(1, Integer.getInteger("corobridge.stress", 1));

    private Stress() {}

    /** Returns {@code base} times the multiplier. */
    public static int times(int base) {
        return Math.multiplyExact(base, FACTOR);
    }

    /** Returns the seed for a randomized test: {@code corobridge.seed} if set, else a fresh one. */
    public static long seed() {
        Long fixed = Long.getLong("corobridge.seed");
        return fixed != null ? fixed : System.nanoTime();
    }
}
