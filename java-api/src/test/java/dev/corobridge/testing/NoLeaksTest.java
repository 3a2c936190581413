package dev.corobridge.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The leak check itself: each kind of leak fails the test that made it. */
@ExtendWith(NoLeaks.class)
class NoLeaksTest {
    private static volatile boolean fixturesEnabled;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Test
    void aTestThatLeavesALibraryThreadRunningFailsWithItsStack() throws InterruptedException {
        Events events = runFixture(LeavesAThread.class);
        RELEASE.countDown();

        events.assertStatistics(stats -> stats.failed(1));
        String message = failureMessage(events);
        assertTrue(message.contains("thread(s) started by corobridge are still alive"), message);
        assertTrue(message.contains("\"corobridge-test-leak\""), message);
        assertTrue(message.contains("CountDownLatch.await"), message);
        assertTrue(threadEnded("corobridge-test-leak"), "the fixture's thread did not end");
    }

    @Test
    void aTestWhoseThreadDiesOfAnUncaughtExceptionFailsWithIt() {
        Events events = runFixture(LosesAnException.class);

        events.assertStatistics(stats -> stats.failed(1));
        String message = failureMessage(events);
        assertTrue(message.contains("uncaught exception in thread \"corobridge-test-uncaught\""), message);
        assertTrue(message.contains("lost in a thread"), message);
    }

    private static Events runFixture(Class<?> fixture) {
        fixturesEnabled = true;
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
        } finally {
            fixturesEnabled = false;
        }
    }

    private static String failureMessage(Events events) {
        return events.failed().stream()
                .map(event -> event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow())
                .map(result -> String.valueOf(result.getThrowable().orElseThrow().getMessage()))
                .findFirst().orElseThrow();
    }

    private static boolean threadEnded(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (LibraryThreads.live().containsKey(name)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10); // polling a condition with a deadline
        }
        return true;
    }

    /** A fixture run only through the test kit above. */
    @ExtendWith(NoLeaks.class)
    static class LeavesAThread {
        @Test
        void leaves() {
            Assumptions.assumeTrue(fixturesEnabled, "a fixture of NoLeaksTest");
            Thread thread = new Thread(() -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "corobridge-test-leak");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** A fixture run only through the test kit above. */
    @ExtendWith(NoLeaks.class)
    static class LosesAnException {
        @Test
        void loses() throws InterruptedException {
            Assumptions.assumeTrue(fixturesEnabled, "a fixture of NoLeaksTest");
            Thread thread = new Thread(() -> {
                throw new IllegalStateException("lost in a thread");
            }, "corobridge-test-uncaught");
            thread.start();
            thread.join();
        }
    }
}
