package dev.corobridge.bridge

import io.kotest.core.extensions.TestCaseExtension
import io.kotest.core.test.TestCase
import io.kotest.engine.test.TestResult
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.debug.DebugProbes
import java.lang.management.ManagementFactory
import java.lang.management.PlatformManagedObject
import java.nio.file.Files
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * Fails a test that leaves something of corobridge's behind: a coroutine started by the library
 * (it carries [Ambient]), a thread named `corobridge-*`, or an exception that went uncaught in any
 * thread. The Kotest twin of the Java tests' `NoLeaks` extension; waits up to five seconds for
 * coroutines and threads to end.
 */
@OptIn(ExperimentalCoroutinesApi::class) // DebugProbes is experimental; tests only
object NoLeaks : TestCaseExtension {
    private const val PATIENCE_MILLIS = 5_000L
    private val uncaught = ConcurrentLinkedQueue<Pair<String, Throwable>>()

    init {
        DebugProbes.enableCreationStackTraces = false
        DebugProbes.install()
        Thread.setDefaultUncaughtExceptionHandler { thread, failure ->
            uncaught.add(thread.name to failure)
            System.err.println("uncaught in ${thread.name}: $failure")
        }
    }

    override suspend fun intercept(testCase: TestCase, execute: suspend (TestCase) -> TestResult): TestResult {
        uncaught.clear()
        val before = libraryThreads().keys
        val result = execute(testCase)
        val problems = mutableListOf<String>()

        val coroutines = waitFor(::libraryCoroutines) { it.isEmpty() }
        if (coroutines.isNotEmpty()) problems += "${coroutines.size} coroutine(s) started by corobridge are still alive:\n" +
            coroutines.joinToString("\n") { "  ${it.state} ${it.context}" }

        val threads = waitFor({ libraryThreads() - before }) { it.isEmpty() }
        if (threads.isNotEmpty()) problems += "${threads.size} thread(s) started by corobridge are still alive:\n" +
            threads.entries.joinToString("") { (name, stack) -> "  \"$name\"\n$stack" }

        val failures = uncaught.toList().also { uncaught.clear() }
        failures.forEach { (thread, failure) -> problems += "uncaught exception in thread \"$thread\": $failure" }

        if (problems.isEmpty() || !result.isSuccess) return result
        val failure = AssertionError("after ${testCase.name.name}:\n" + problems.joinToString("\n"))
        failures.forEach { failure.addSuppressed(it.second) }
        return TestResult.Failure(result.duration, failure)
    }

    private fun libraryCoroutines() = DebugProbes.dumpCoroutinesInfo().filter { it.context[Ambient] != null }

    private fun <C> waitFor(probe: () -> C, nothing: (C) -> Boolean): C {
        val deadline = System.currentTimeMillis() + PATIENCE_MILLIS
        var found = probe()
        while (!nothing(found) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10) // polling a condition with a deadline, not guessing a duration
            found = probe()
        }
        return found
    }

    /** Live threads named `corobridge-*` → their stacks; on JDK 21+ also the virtual ones, from the JDK's thread dump. */
    private fun libraryThreads(): Map<String, String> {
        val live = Thread.getAllStackTraces()
            .filter { (thread, _) -> thread.name.startsWith(PREFIX) && thread.isAlive }
            .map { (thread, stack) -> thread.name to stack.joinToString("") { "    at $it\n" } }
            .toMap(LinkedHashMap())
        if (BlockingDispatcher.usesVirtualThreads) live += virtualThreads()
        return live
    }

    private fun virtualThreads(): Map<String, String> {
        val bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean")
        val format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean\$ThreadDumpFormat")
        val file = Files.createTempFile("corobridge-threads", ".txt").also { Files.delete(it) }
        try {
            bean.getMethod("dumpThreads", String::class.java, format).invoke(
                ManagementFactory.getPlatformMXBean(bean.asSubclass(PlatformManagedObject::class.java)),
                file.toString(), format.getField("TEXT_PLAIN").get(null),
            )
            return Files.readString(file).split(Regex("\\R\\R")).map { it.trim() }
                .filter { it.startsWith("#") && it.contains("\"$PREFIX") }
                .associate { block -> block.substringAfter('"').substringBefore('"') to block.substringAfter('\n') + "\n" }
        } finally {
            Files.deleteIfExists(file)
        }
    }

    private const val PREFIX = "corobridge-"
}
