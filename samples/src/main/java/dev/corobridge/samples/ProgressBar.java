package dev.corobridge.samples;

import dev.corobridge.Progress;
import java.io.PrintStream;

/** A one-line progress bar, redrawn in place with a carriage return, at most once per percent. */
final class ProgressBar {
    private static final int WIDTH = 40;
    private final PrintStream out;
    private final long total;
    private long lastPercent = -1;

    ProgressBar(PrintStream out, long total) {
        this.out = out;
        this.total = total;
    }

    /** Called from Calls' onProgress, which is never concurrent with itself. */
    void draw(Progress progress) {
        long done = progress.completed() + progress.failed();
        long percent = done * 100 / total;
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = (int) (percent * WIDTH / 100);
        out.printf("\r[%s%s] %3d%%  %,d done, %,d failed, %d in flight",
                "#".repeat(filled), ".".repeat(WIDTH - filled), percent, progress.completed(), progress.failed(), progress.inFlight());
    }
}
