package dev.corobridge;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one piece of work ended: a value or a failure (asyncio's {@code gather(...,
 * return_exceptions=True)} entries).
 *
 * <p>Sealed: every outcome is a {@link Success} or a {@link Failure}, so a {@code switch} over
 * them needs no default. Immutable and thread-safe.
 *
 * <pre>{@code
 * for (Outcome<String> outcome : Coroutines.gatherSettled(pages).join()) {
 *     if (outcome.isSuccess()) System.out.println(outcome.value());
 *     else System.err.println("failed: " + outcome.failure());
 * }
 * }</pre>
 *
 * @param <T> the type of the value
 */
public sealed interface Outcome<T> {

    /**
     * Returns a successful outcome.
     *
     * @param value the value, {@code null} allowed (a {@code Void} result)
     * @param <T> the type of the value
     * @return the outcome
     */
    static <T> Outcome<T> success(@Nullable T value) {
        return new Success<>(value);
    }

    /**
     * Returns a failed outcome.
     *
     * @param failure the original exception
     * @param <T> the type the value would have had
     * @return the outcome
     */
    static <T> Outcome<T> failure(Throwable failure) {
        return new Failure<>(failure);
    }

    /**
     * Returns whether the work produced a value.
     *
     * @return {@code true} for a {@link Success}
     */
    boolean isSuccess();

    /**
     * Returns the value.
     *
     * @return the value, which may be {@code null} for a {@code Void} result
     * @throws IllegalStateException if the work failed; its cause is the failure
     */
    @Nullable T value();

    /**
     * Returns the failure.
     *
     * @return the original exception
     * @throws IllegalStateException if the work succeeded
     */
    Throwable failure();

    /**
     * A value.
     *
     * @param value the value, possibly {@code null}
     * @param <T> the type of the value
     */
    record Success<T>(@Nullable T value) implements Outcome<T> {
        @Override
        public boolean isSuccess() {
            return true;
        }

        @Override
        public Throwable failure() {
            throw new IllegalStateException("the outcome is a success, not a failure");
        }
    }

    /**
     * A failure.
     *
     * @param failure the original exception
     * @param <T> the type the value would have had
     */
    record Failure<T>(Throwable failure) implements Outcome<T> {
        /**
         * Creates a failure.
         *
         * @param failure the original exception
         */
        public Failure {
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public boolean isSuccess() {
            return false;
        }

        @Override
        public @Nullable T value() {
            throw new IllegalStateException("the outcome is a failure: " + failure, failure);
        }
    }
}
