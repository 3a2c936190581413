package dev.corobridge.bridge

import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.test.TestResult
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlin.time.Duration.Companion.milliseconds

class NoLeaksTest : FunSpec({

    test("a test whose thread dies of an uncaught exception fails with it") {
        val result = NoLeaks.intercept(testCase) {
            Thread({ throw IllegalStateException("lost in a thread") }, "corobridge-test-uncaught").apply { start() }.join()
            TestResult.Success(1.milliseconds)
        }

        val failure = result.shouldBeInstanceOf<TestResult.Failure>()
        failure.cause.message shouldContain "uncaught exception in thread \"corobridge-test-uncaught\""
        failure.cause.suppressed.any { it.message == "lost in a thread" }.shouldBeTrue()
    }
})
