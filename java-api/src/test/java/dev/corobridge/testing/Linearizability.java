package dev.corobridge.testing;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The Lincheck settings every linearizability test of the library uses: 3 threads of 2
 * operations; stress mode in every build, model checking (exhaustive, about a minute per class)
 * only with {@code -Dcorobridge.lincheck.modelChecking=true}.
 */
public final class Linearizability {
    private Linearizability() {}

    /** Runs {@code test}'s operations concurrently, many times, and checks every outcome is linearizable. */
    public static void checkUnderStress(Class<?> test) {
        new StressOptions().iterations(10).invocationsPerIteration(500).threads(3).actorsPerThread(2).check(test);
    }

    /** Explores the interleavings of {@code test}'s operations and checks each is linearizable. */
    public static void checkByModelChecking(Class<?> test) {
        new ModelCheckingOptions().iterations(4).invocationsPerIteration(50).threads(3).actorsPerThread(2).check(test);
    }
}
