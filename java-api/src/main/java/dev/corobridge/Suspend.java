package dev.corobridge;

import dev.corobridge.bridge.Stages;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import kotlin.coroutines.Continuation;
import org.jspecify.annotations.Nullable;

/**
 * Implements Kotlin {@code suspend} functions in Java, from a {@link CompletionStage}.
 *
 * <p>A Kotlin {@code suspend fun load(id: Int): User} in an interface is, to Java, a method
 * {@code Object load(int id, Continuation<? super User> c)}. Implement it by returning
 * {@code Suspend.await(stage, c)}:
 *
 * <pre>{@code
 * final class JavaUserService implements UserService {   // a Kotlin interface
 *     public Object load(int id, Continuation<? super User> c) {
 *         return Suspend.await(httpClient.fetchUser(id), c);
 *     }
 * }
 * }</pre>
 *
 * <p>The same works for suspend lambdas, such as the {@code (value, c) -> ...} that
 * {@code FlowKt.map} takes.
 */
public final class Suspend {
    private Suspend() {}

    /**
     * Suspends the calling Kotlin coroutine until {@code stage} completes.
     *
     * <p>If the stage is already complete, returns its value at once (or throws its original
     * exception); otherwise returns {@code COROUTINE_SUSPENDED} and resumes {@code continuation}
     * when the stage completes. The stage belongs to the coroutine: if the coroutine is cancelled
     * first, the stage is cancelled. Pass {@code future.copy()} to share a future.
     *
     * @param stage the stage to await
     * @param continuation the continuation the suspend function was given
     * @param <T> the type of the value
     * @return the value, or {@code COROUTINE_SUSPENDED}
     */
    public static <T> @Nullable Object await(CompletionStage<T> stage, Continuation<? super T> continuation) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(continuation, "continuation");
        @SuppressWarnings("unchecked") // a continuation of a supertype of T also accepts T
        Continuation<T> exact = (Continuation<T>) continuation;
        return Stages.awaitStage(stage, exact);
    }
}
