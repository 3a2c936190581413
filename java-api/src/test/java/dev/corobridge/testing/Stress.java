package dev.corobridge.testing;

import java.util.Random;

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

    /** One round of a randomized test, run from its own seed. */
    @FunctionalInterface
    public interface Round {
        /** Runs the round; everything random in it comes from {@code seed}. */
        void run(long seed) throws Exception;
    }

    /**
     * Runs {@code count} rounds, each from a seed drawn from {@link #seed()}; a failing round fails
     * the test with the seeds that replay it.
     */
    public static void rounds(int count, Round round) throws Exception {
        long seed = seed();
        Random seeds = new Random(seed);
        for (int i = 0; i < count; i++) {
            long roundSeed = seeds.nextLong();
            try {
                round.run(roundSeed);
            } catch (AssertionError | Exception failure) {
                throw new AssertionError("round " + i + " failed; replay with -Dcorobridge.seed=" + seed
                        + " (round seed " + roundSeed + ")", failure);
            }
        }
    }

    /** Returns the seed for a randomized test: {@code corobridge.seed} if set, else a fresh one. */
    public static long seed() {
        Long fixed = Long.getLong("corobridge.seed");
        return fixed != null ? fixed : System.nanoTime();
    }
}
