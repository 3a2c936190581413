package dev.corobridge.samples;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * The samples tour: {@code java -jar samples/target/corobridge-samples.jar [--list | NAME]}.
 *
 * <p>With no argument it runs every sample in order, each under a header; a failing sample makes
 * the exit code non-zero.
 */
public final class Tour {
    static final List<Sample> SAMPLES = List.of(
            new CakeAndGroceriesSample(),
            new FiveWaitsSample(),
            new GatherSample(),
            new LakhOfCallsSample(),
            new TaskGroupSample(),
            new SynchronizationSample(),
            new PizzaReceiptSample(),
            new GeneratorsSample(),
            new EventLoopSample(),
            new MixedCodebaseSample());

    private Tour() {}

    /**
     * Runs the tour.
     *
     * @param args {@code --list}, a sample's name, or nothing for all
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 1) {
            err.println("usage: corobridge-samples [--list | NAME]");
            return 2;
        }
        if (args.length == 1 && args[0].equals("--list")) {
            SAMPLES.forEach(sample -> out.printf("%-10s %s%n", sample.name(), sample.title()));
            return 0;
        }
        if (args.length == 1) {
            Optional<Sample> chosen = SAMPLES.stream().filter(sample -> sample.name().equals(args[0])).findFirst();
            if (chosen.isEmpty()) {
                err.println("no sample named '" + args[0] + "'; --list shows them");
                return 2;
            }
            return runOne(chosen.get(), out, err) ? 0 : 1;
        }
        return runAll(SAMPLES, out, err) ? 0 : 1;
    }

    static boolean runAll(List<Sample> samples, PrintStream out, PrintStream err) {
        int failures = 0;
        for (Sample sample : samples) {
            failures += runOne(sample, out, err) ? 0 : 1;
        }
        out.printf("%n%d of %d samples ran cleanly%n", samples.size() - failures, samples.size());
        return failures == 0;
    }

    private static boolean runOne(Sample sample, PrintStream out, PrintStream err) {
        out.printf("%n=== %s: %s ===%n", sample.name(), sample.title());
        try {
            sample.run(out);
            return true;
        } catch (Exception | AssertionError failure) {
            err.println("sample " + sample.name() + " FAILED: " + failure);
            failure.printStackTrace(err);
            return false;
        }
    }
}
