package dev.corobridge.samples;

import java.io.PrintStream;

/** One runnable tutorial of the tour: one idea from the seeds, retold in Java. */
interface Sample {
    /** The name that runs it: {@code java -jar corobridge-samples.jar NAME}. */
    String name();

    /** A one-line title shown in the tour's header. */
    String title();

    /** Runs the sample, printing what the reader should see; throws if it does not hold. */
    void run(PrintStream out) throws Exception;
}
