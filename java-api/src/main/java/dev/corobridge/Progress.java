package dev.corobridge;

import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of how far a {@link Calls} plan has got: how many calls succeeded, failed or are in
 * flight, and how many inputs there are when that is known.
 *
 * <pre>{@code
 * Calls.over(ids).concurrency(16)
 *         .onProgress(p -> System.out.printf("%d/%s done, %d failed%n",
 *                 p.completed() + p.failed(), p.total().isPresent() ? p.total().getAsLong() : "?", p.failed()))
 *         .map(id -> fetch(id));
 * }</pre>
 *
 * <p>A snapshot is taken when a call ends, under the plan's count lock, so its numbers agree with
 * each other. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Progress {
    private final long completed;
    private final long failed;
    private final long inFlight;
    private final long total;

    Progress(long completed, long failed, long inFlight, long total) {
        this.completed = completed;
        this.failed = failed;
        this.inFlight = inFlight;
        this.total = total;
    }

    /**
     * Returns how many calls have succeeded, each counted once, after its retries.
     *
     * @return the number of calls that produced a value
     */
    public long completed() {
        return completed;
    }

    /**
     * Returns how many calls have failed, after their retries. Calls cancelled because the plan
     * stopped are not counted.
     *
     * @return the number of calls that ended with a failure
     */
    public long failed() {
        return failed;
    }

    /**
     * Returns how many calls have started and not ended yet, counting those waiting between
     * retries.
     *
     * @return the number of calls in flight
     */
    public long inFlight() {
        return inFlight;
    }

    /**
     * Returns the number of inputs, if known: from the start when the inputs are a
     * {@link java.util.Collection}, else once they have run out.
     *
     * @return the number of inputs, or an empty optional while it is unknown
     */
    public OptionalLong total() {
        return total < 0 ? OptionalLong.empty() : OptionalLong.of(total);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Progress that && completed == that.completed && failed == that.failed
                && inFlight == that.inFlight && total == that.total;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(completed) * 31 * 31 * 31 + Long.hashCode(failed) * 31 * 31
                + Long.hashCode(inFlight) * 31 + Long.hashCode(total);
    }

    @Override
    public String toString() {
        return "Progress[completed=" + completed + ", failed=" + failed + ", inFlight=" + inFlight
                + ", total=" + (total < 0 ? "unknown" : Long.toString(total)) + "]";
    }
}
