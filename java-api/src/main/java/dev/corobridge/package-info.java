/**
 * Kotlin coroutines for Java, as {@link java.util.concurrent.CompletableFuture}s: tasks, task
 * groups and supervisors, timeouts, gathering and racing, and one-line calls into Kotlin
 * {@code suspend} functions.
 *
 * <p>The entry points are {@link dev.corobridge.Coroutines} (asyncio's module level) and
 * {@link dev.corobridge.TaskScope} (structured children). Every running piece of work is a
 * {@link dev.corobridge.Task}.
 *
 * <h2>Rules for the whole package</h2>
 * <ul>
 *   <li><b>Nulls.</b> No parameter accepts {@code null} unless marked {@code @Nullable}; a {@code null}
 *       argument fails at the call with a {@link java.lang.NullPointerException} naming it.</li>
 *   <li><b>Bodies.</b> A <em>stage body</em> ({@code Supplier<? extends CompletionStage<T>>}) must
 *       not block: it runs on the scope's dispatcher and its stage is awaited without holding a
 *       thread. A <em>blocking body</em> ({@code Callable<T>}, methods named {@code ...Blocking}) runs
 *       on a virtual thread on JDK 21+ (kotlinx's bounded {@code Dispatchers.IO} pool on JDK 17), is
 *       interrupted when cancelled, and may call {@link dev.corobridge.Coroutines#await}.</li>
 *   <li><b>Ownership.</b> A stage returned by a body, or handed to {@code gather}, {@code race},
 *       {@code timeout} or {@code await}, belongs to that work and is cancelled with it (so an HTTP
 *       request is aborted). To share a future, for example a cache entry, pass
 *       {@code future.copy()}.</li>
 *   <li><b>Exceptions.</b> Futures fail with the body's original exception, never with a
 *       {@link java.util.concurrent.CompletionException} or
 *       {@link java.util.concurrent.ExecutionException} added by the library.</li>
 *   <li><b>Cancellation goes both ways.</b> Cancelling a returned future cancels the coroutine and
 *       what it awaits; a cancelled coroutine leaves its future cancelled.</li>
 *   <li><b>Times</b> are {@link java.time.Duration}s; a negative one fails with
 *       {@link java.lang.IllegalArgumentException}.</li>
 * </ul>
 */
@NullMarked
package dev.corobridge;

import org.jspecify.annotations.NullMarked;
