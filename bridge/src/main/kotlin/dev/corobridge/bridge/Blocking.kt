package dev.corobridge.bridge

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.IO
import kotlinx.coroutines.Job
import kotlinx.coroutines.asCoroutineDispatcher
import java.util.concurrent.CancellationException
import java.util.concurrent.Callable
import java.util.concurrent.ExecutorService
import java.util.concurrent.ThreadFactory
import java.util.concurrent.atomic.AtomicInteger

/**
 * One run of a blocking body (a `Callable`) inside a coroutine, interrupted when that coroutine is
 * cancelled.
 *
 * The interrupt reaches the body's thread only while the body runs: never before it starts, and
 * never after it returns (a late interrupt would hit whatever that pooled thread runs next).
 * [keepUninterrupted] turns the interrupt off, for `Future.cancel(false)`.
 */
public class BlockingBody<T>(private val callable: Callable<T>) {
    private val state = AtomicInteger(IDLE)

    @Volatile
    private var thread: Thread? = null

    @Volatile
    private var interruptAllowed = true

    /** Cancels without interrupting: the body is left to finish on its own. */
    public fun keepUninterrupted() {
        interruptAllowed = false
    }

    /**
     * Whether the coroutine's cancellation has interrupted the body, or is doing so: for a body
     * that must tell that interrupt from others. Meant for the body's own thread while it runs.
     */
    public val interruptedByCancellation: Boolean
        get() = state.get().let { it == INTERRUPTING || it == INTERRUPTED }

    @OptIn(InternalCoroutinesApi::class) // onCancelling = true: interrupt as soon as cancellation starts, as runInterruptible does
    internal fun run(job: Job): T {
        thread = Thread.currentThread()
        state.set(RUNNING)
        val handle: DisposableHandle = job.invokeOnCompletion(onCancelling = true, invokeImmediately = true) { interrupt() }
        try {
            return callable.call()
        } catch (interrupted: InterruptedException) {
            if (job.isActive) throw interrupted
            throw CancellationException("blocking body was interrupted by cancellation").apply { initCause(interrupted) }
        } finally {
            handle.dispose()
            finish()
        }
    }

    private fun interrupt() {
        if (!interruptAllowed) return
        if (state.compareAndSet(RUNNING, INTERRUPTING)) {
            thread?.interrupt()
            state.set(INTERRUPTED)
        }
    }

    private fun finish() {
        while (true) {
            when (state.get()) {
                RUNNING -> if (state.compareAndSet(RUNNING, FINISHED)) return
                INTERRUPTING -> Thread.onSpinWait() // the canceller is between its CAS and its interrupt()
                INTERRUPTED -> {
                    Thread.interrupted() // our interrupt must not leak to the thread's next task
                    state.set(FINISHED)
                    return
                }
                else -> return
            }
        }
    }

    private companion object {
        const val IDLE = 0
        const val RUNNING = 1
        const val INTERRUPTING = 2
        const val INTERRUPTED = 3
        const val FINISHED = 4
    }
}

/**
 * Where blocking bodies run: a new virtual thread per body on JDK 21+, else kotlinx's bounded
 * [Dispatchers.IO] pool (64 threads by default). The jar stays Java 17 bytecode, so the virtual
 * thread API is found at run time.
 */
public object BlockingDispatcher {
    private val counter = AtomicInteger()

    /** The dispatcher blocking bodies run on. */
    @JvmField
    public val INSTANCE: CoroutineDispatcher = virtualThreadDispatcher() ?: Dispatchers.IO

    /** True when blocking bodies run on virtual threads. */
    @JvmStatic
    public val usesVirtualThreads: Boolean get() = INSTANCE !== Dispatchers.IO

    private fun virtualThreadDispatcher(): CoroutineDispatcher? = try {
        val builder = Thread::class.java.getMethod("ofVirtual").invoke(null)
        val factory = Class.forName("java.lang.Thread\$Builder").getMethod("factory").invoke(builder) as ThreadFactory
        val namedFactory = ThreadFactory { task ->
            factory.newThread(task).apply { name = "corobridge-blocking-" + counter.incrementAndGet() }
        }
        val executor = java.util.concurrent.Executors::class.java
            .getMethod("newThreadPerTaskExecutor", ThreadFactory::class.java)
            .invoke(null, namedFactory) as ExecutorService
        executor.asCoroutineDispatcher()
    } catch (_: NoSuchMethodException) {
        null
    } catch (_: ClassNotFoundException) {
        null
    }
}
