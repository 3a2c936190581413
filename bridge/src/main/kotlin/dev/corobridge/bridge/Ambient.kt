package dev.corobridge.bridge

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.ThreadContextElement
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext

/**
 * The library's "running loop" (asyncio's term): which loop a body started by corobridge runs in.
 *
 * Every coroutine the library starts carries one in its context. While such a coroutine runs, the
 * element is visible through [current], so that static entry points called from inside a body
 * (`Coroutines.async`, `sleep`, `timeout`, ...) start their work on the same dispatcher, and so on
 * the same clock. This is what keeps `Coroutines.run` single-threaded and lets a virtual-time test
 * see every delay the library makes.
 */
public class Ambient private constructor(
    private var boundHome: ContinuationInterceptor?,
    /** The parent of detached work, or null for none (the global scope). */
    private var detachedParent: Job?,
    /** True while a blocking body runs: the one place where a thread may block. */
    public val isBlocking: Boolean,
    private val base: Ambient?,
) : ThreadContextElement<CoroutineContext?> {

    /** The dispatcher that detached work started from inside a body runs on. */
    public val home: ContinuationInterceptor
        get() = base?.home ?: checkNotNull(boundHome) { "the loop has not started yet" }

    /** The same loop, seen from a blocking body. */
    public val blocking: Ambient by lazy(LazyThreadSafetyMode.PUBLICATION) {
        if (isBlocking) this else Ambient(null, null, true, this)
    }

    /** The context of work started by a static entry point inside a body of this loop. */
    public val detachedContext: CoroutineContext by lazy(LazyThreadSafetyMode.PUBLICATION) {
        base?.detachedContext ?: (home + this + (detachedParent ?: EmptyCoroutineContext))
    }

    /**
     * Binds a loop created by [forLoop] to its dispatcher and the parent of its detached work;
     * called once, as the loop starts, before any body runs.
     */
    public fun bind(home: ContinuationInterceptor, detachedParent: Job) {
        check(boundHome == null && base == null) { "the loop is already bound" }
        boundHome = home
        this.detachedParent = detachedParent
    }

    override val key: CoroutineContext.Key<Ambient> get() = Key

    override fun updateThreadContext(context: CoroutineContext): CoroutineContext? {
        val state = STATE.get()
        val previous = state.context
        state.context = context
        return previous
    }

    override fun restoreThreadContext(context: CoroutineContext, oldState: CoroutineContext?) {
        STATE.get().context = oldState
    }

    override fun toString(): String = "Ambient(home=${base?.home ?: boundHome}, blocking=$isBlocking)"

    /** The context key, and the factories. */
    public companion object Key : CoroutineContext.Key<Ambient> {
        /** What runs on this thread; one thread-local, so that the paths run on every call read it once. */
        private val STATE: ThreadLocal<ThreadState> = ThreadLocal.withInitial(::ThreadState)

        /** The loop of plain Java threads: detached work on [Dispatchers.Default], no parent. */
        @JvmField
        public val GLOBAL: Ambient = Ambient(Dispatchers.Default, null, false, null)

        /** The loop of the coroutine running on this thread, or null on a plain thread. */
        @JvmStatic
        public fun current(): Ambient? = STATE.get().context?.get(Key)

        /** The loop of the coroutine running on this thread, or [GLOBAL] on a plain thread. */
        @JvmStatic
        public fun currentOrGlobal(): Ambient = current() ?: GLOBAL

        /** The context of the library coroutine running on this thread, or null on a plain thread. */
        internal fun currentContext(): CoroutineContext? = STATE.get().context

        /** What runs on this thread now. */
        internal fun threadState(): ThreadState = STATE.get()

        /** A loop whose detached work runs on [home], as children of [detachedParent] if given. */
        @JvmStatic
        public fun of(home: ContinuationInterceptor, detachedParent: Job?): Ambient =
            Ambient(home, detachedParent, false, null)

        /** A loop that [bind] ties to its dispatcher once it starts (runBlocking's event loop). */
        @JvmStatic
        public fun forLoop(): Ambient = Ambient(null, null, false, null)

        /** The loop a context belongs to: its own element, or a new one on the context's dispatcher. */
        @JvmStatic
        public fun of(context: CoroutineContext): Ambient =
            context[Key] ?: of(context[ContinuationInterceptor] ?: Dispatchers.Default, null)
    }
}

/** What runs on one thread: the library coroutine (its context, set by [Ambient]) and the [InlineBody] running directly on it. */
internal class ThreadState {
    /** The context of the library coroutine running on this thread, or null. */
    @JvmField
    var context: CoroutineContext? = null

    /** The innermost inline body running on this thread, or null. */
    @JvmField
    var inline: InlineBody? = null
}
