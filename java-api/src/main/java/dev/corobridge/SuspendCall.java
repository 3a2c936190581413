package dev.corobridge;

import kotlin.coroutines.Continuation;
import org.jspecify.annotations.Nullable;

/**
 * A call of a Kotlin {@code suspend} function, written in Java: the lambda receives the
 * continuation and passes it on as the function's last argument.
 *
 * <pre>{@code
 * Task<User> user = Coroutines.call(c -> userService.load(42, c));
 * }</pre>
 *
 * <p>The function may suspend (return {@code COROUTINE_SUSPENDED} and resume the continuation
 * later) or return its value at once; both work. Run by {@link Coroutines#call} and
 * {@link TaskScope#call}.
 *
 * @param <T> the suspend function's return type
 */
@FunctionalInterface
public interface SuspendCall<T> {
    /**
     * Calls the suspend function with {@code continuation}.
     *
     * @param continuation the continuation to pass as the function's last argument
     * @return what the function returned: its value, or {@code COROUTINE_SUSPENDED}
     * @throws Exception whatever the function throws; it fails the task as it is
     */
    @Nullable Object invoke(Continuation<? super T> continuation) throws Exception;
}
