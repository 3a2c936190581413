package dev.corobridge;

import dev.corobridge.bridge.calls.RetryRules;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How to retry failed work: how many attempts, how long to wait between them (exponential
 * backoff, with optional jitter), and which failures are worth another attempt.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .maxAttempts(5)
 *         .backoff(Duration.ofMillis(100), Duration.ofSeconds(5))
 *         .jitter(0.2)
 *         .retryOn(IOException.class)
 *         .build();
 * Task<String> page = Coroutines.retry(policy, () -> fetch(url));
 * }</pre>
 *
 * <h2>Backoff</h2>
 * After the {@code n}th failed attempt, the wait is {@code first * 2^(n-1)}, capped at
 * {@code max}: with {@code first = 1 s} and {@code max = 8 s}, attempts start at 0, 1, 3, 7, 15,
 * 23, ... seconds. A jitter {@code f} multiplies each wait by a random factor between
 * {@code 1 - f} and {@code 1 + f}, so that many clients do not retry in step. The waits are
 * coroutine delays: they follow the running loop's clock (a virtual one in tests) and stop at once
 * when the work is cancelled.
 *
 * <h2>Defaults</h2>
 * 3 attempts, backoff from 100 ms doubling up to 10 s, no jitter, and every {@link Exception}
 * retried. A {@link CancellationException} is never retried, and neither is an {@link Error}
 * unless a {@code retryOn} rule names it.
 *
 * <p>Immutable and thread-safe; one policy can serve any number of calls. Used by
 * {@link Coroutines#retry} and {@link Calls#retry}.
 *
 * @since 0.1
 */
public final class RetryPolicy {
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final @Nullable Predicate<Throwable> retryOn;
    private final RetryRules rules = new Rules();

    private RetryPolicy(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.firstBackoff = builder.firstBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.jitter = builder.jitter;
        this.retryOn = builder.retryOn;
    }

    /**
     * Starts building a policy, with the defaults described on this class.
     *
     * <pre>{@code
     * RetryPolicy policy = RetryPolicy.builder().maxAttempts(4).build();
     * }</pre>
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the most attempts, the first one included.
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Returns the wait after the first failed attempt, before jitter.
     *
     * @return a positive duration
     */
    public Duration firstBackoff() {
        return firstBackoff;
    }

    /**
     * Returns the longest wait between attempts, before jitter.
     *
     * @return a duration no shorter than {@link #firstBackoff()}
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Returns the jitter: the fraction by which each wait may randomly be shorter or longer.
     *
     * @return a fraction from 0 (none) to 1
     */
    public double jitter() {
        return jitter;
    }

    /**
     * Returns whether {@code failure} may be retried under this policy (attempts left aside).
     *
     * @param failure a failure of an attempt
     * @return {@code false} for a {@link CancellationException}; else whether a {@code retryOn}
     *     rule matches it, or, with no rule, whether it is an {@link Exception}
     */
    public boolean retries(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        if (failure instanceof CancellationException) {
            return false;
        }
        Predicate<Throwable> rule = retryOn;
        return rule == null ? failure instanceof Exception : rule.test(failure);
    }

    /**
     * Returns the wait after {@code failedAttempts} attempts have failed, before jitter.
     *
     * @param failedAttempts how many attempts have failed, at least 1
     * @return {@code first * 2^(failedAttempts - 1)}, capped at the maximum
     * @throws IllegalArgumentException if {@code failedAttempts} is less than 1
     */
    public Duration backoffAfter(int failedAttempts) {
        return Duration.ofNanos(backoffNanos(failedAttempts));
    }

    private long backoffNanos(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be >= 1, was " + failedAttempts);
        }
        long max = saturatedNanos(maxBackoff);
        long wait = saturatedNanos(firstBackoff);
        for (int doubled = 1; doubled < failedAttempts && wait < max; doubled++) {
            wait = wait > max / 2 ? max : wait * 2;
        }
        return Math.min(wait, max);
    }

    private long jitteredNanos(int failedAttempts) {
        long wait = backoffNanos(failedAttempts);
        if (jitter == 0) {
            return wait;
        }
        double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return (long) Math.min(Long.MAX_VALUE, wait * factor);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** The rules that the retry loop in the bridge follows. */
    RetryRules rules() {
        return rules;
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + firstBackoff + ".." + maxBackoff
                + ", jitter=" + jitter + (retryOn == null ? ", retryOn=Exception" : ", retryOn=custom") + "]";
    }

    private final class Rules implements RetryRules {
        @Override
        public int getMaxAttempts() {
            return maxAttempts;
        }

        @Override
        public boolean retries(Throwable failure) {
            return RetryPolicy.this.retries(failure);
        }

        @Override
        public long backoffNanos(int failedAttempts) {
            return jitteredNanos(failedAttempts);
        }
    }

    /**
     * Builds a {@link RetryPolicy}. Each setter checks its argument at once. Not thread-safe: use
     * one builder on one thread; the policies it builds are immutable.
     */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration firstBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private double jitter;
        private @Nullable Predicate<Throwable> retryOn;

        private Builder() {}

        /**
         * Sets the most attempts, the first one included; 1 means no retry. Default 3.
         *
         * @param maxAttempts at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxAttempts} is less than 1
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the exponential backoff: the wait after the first failure is {@code first}, and
         * each later wait doubles, up to {@code max}. Default 100 ms up to 10 s.
         *
         * @param first the wait after the first failed attempt
         * @param max the longest wait
         * @return this builder
         * @throws IllegalArgumentException if {@code first} is not positive, or {@code max} is
         *     shorter than {@code first}
         */
        public Builder backoff(Duration first, Duration max) {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
            if (first.isNegative() || first.isZero()) {
                throw new IllegalArgumentException("first must be > 0, was " + first);
            }
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("max must be >= first (" + first + "), was " + max);
            }
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Sets the jitter: each wait is multiplied by a random factor between {@code 1 - jitter}
         * and {@code 1 + jitter}. Default 0, no jitter.
         *
         * @param jitter a fraction from 0 to 1
         * @return this builder
         * @throws IllegalArgumentException if {@code jitter} is outside [0, 1] or not a number
         */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * Retries failures of {@code type} or a subtype. Rules add up: a failure is retried if
         * any rule matches it. Once a rule is given, only failures that a rule matches are
         * retried.
         *
         * @param type the failures to retry
         * @return this builder
         */
        public Builder retryOn(Class<? extends Throwable> type) {
            Objects.requireNonNull(type, "type");
            return retryOn(type::isInstance);
        }

        /**
         * Retries failures that {@code rule} accepts. Rules add up: a failure is retried if any
         * rule matches it. The rule runs on the thread where the attempt failed and should be
         * quick; if it throws, that exception fails the work.
         *
         * @param rule tells whether a failure is worth another attempt
         * @return this builder
         */
        public Builder retryOn(Predicate<Throwable> rule) {
            Objects.requireNonNull(rule, "rule");
            Predicate<Throwable> earlier = retryOn;
            this.retryOn = earlier == null ? rule : earlier.or(rule);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return an immutable policy with this builder's settings
         */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
