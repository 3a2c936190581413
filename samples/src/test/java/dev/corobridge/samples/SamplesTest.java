package dev.corobridge.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.NoLeaks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Checks what each sample claims, and the tour's command line. */
@ExtendWith(NoLeaks.class)
class SamplesTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void pizzaReceiptsArePendingThenDoneOrCancelled() throws Exception {
        PizzaReceiptSample.Receipts receipts = PizzaReceiptSample.demonstrate(out);

        assertTrue(text().contains("margherita: pending, hawaii: pending"));
        assertEquals("margherita pizza", receipts.margherita().join());
        assertTrue(receipts.hawaii().isCancelled());
        assertFalse(receipts.hawaii().isActive(), "cancelling the receipt stopped the kitchen");
    }

    @Test
    void gatherKeepsInputOrderAndTakesAboutTheSlowestCall() throws Exception {
        GatherSample.Result result = GatherSample.demonstrate(out);

        assertEquals(List.of("slow answer", "medium answer", "fast answer"), result.results());
        assertTrue(text().indexOf("done  fast") < text().indexOf("done  slow"), "fast finishes first");
        assertTrue(result.elapsed().toMillis() < 600, "concurrent, not sequential: " + result.elapsed());
    }

    @Test
    void taskGroupCancelsSiblingsWhileGatherSettledAndSupervisorCarryOn() throws Exception {
        TaskGroupSample.Result result = TaskGroupSample.demonstrate(out);

        assertEquals(List.of(true, false, true), result.settled().stream().map(o -> o.isSuccess()).toList());
        assertInstanceOf(IOException.class, result.groupFailure());
        assertEquals(List.of(true, true), result.groupCancelled());
        assertEquals(List.of("broken: IOException", "north delivered"), result.supervised());
    }

    @Test
    void cakeAndGroceriesTakeEightyMinutesInSequenceAndSixtyConcurrently() throws Exception {
        CakeAndGroceriesSample.Result result = CakeAndGroceriesSample.demonstrate(out);

        assertEquals(Duration.ofMinutes(80), result.sequentialVirtual());
        assertEquals(Duration.ofMinutes(60), result.concurrentVirtual());
        assertTrue(result.concurrentReal().compareTo(result.sequentialReal()) < 0, result.toString());
        assertTrue(result.sequentialReal().compareTo(CakeAndGroceriesSample.REAL_MINUTE.multipliedBy(80)) >= 0);
    }

    @Test
    void fiveAsyncWaitsOverlapWhileBlockingOnesAddUp() throws Exception {
        FiveWaitsSample.Result result = FiveWaitsSample.demonstrate(out);

        assertTrue(result.blocking().compareTo(FiveWaitsSample.WAIT.multipliedBy(5)) >= 0, result.toString());
        assertTrue(result.async().compareTo(result.blocking()) < 0, result.toString());
        assertTrue(text().indexOf("started wait 4") < text().indexOf("async: 5 waits took"));
    }

    @Test
    void manyCallsNeverExceedSixtyFourInFlightAndEveryCallGetsAnOutcome() throws Exception {
        LakhOfCallsSample.Result result = LakhOfCallsSample.demonstrate(out, 3_000);

        assertEquals(3_000, result.answered() + result.failed());
        assertTrue(result.mostInFlight() <= LakhOfCallsSample.IN_FLIGHT, result.toString());
        assertTrue(result.failed() < 30, "retries turn nearly every 503 into an answer: " + result);
        assertTrue(text().contains("100%"), "the progress bar reached the end");
        assertTrue(result.bare().mostInFlight() <= LakhOfCallsSample.IN_FLIGHT, result.toString());
        assertTrue(result.bare().failed() > result.failed(), "without retries the 503s stay failures: " + result);
    }

    @Test
    void eachSynchronizationPrimitiveDoesItsJob() throws Exception {
        SynchronizationSample.Result result = SynchronizationSample.demonstrate(out);

        assertEquals(10, result.counter(), "no update lost under the lock");
        assertTrue(result.peakDownloads() <= 3 && result.peakDownloads() > 0, result.toString());
        assertEquals(4, result.guestsIn());
        assertEquals("bread", result.bought());
        assertEquals(List.of(0, 1, 2), result.places().stream().sorted().toList());
    }

    @Test
    void thePythonSideRunsWhenPython3IsPresent() throws Exception {
        String printed = PythonSideBySide.run(out, "five_waits.py");

        assertTrue(printed == null ? text().contains("skipped") : printed.startsWith("blocking "), text());
    }

    @Test
    void generatorsTakeTurnsWithTheirConsumerAndSendWorksBothWays() throws Exception {
        GeneratorsSample.Result result = GeneratorsSample.demonstrate(out);

        assertEquals(List.of("made something", "got something", "made other thing", "got other thing"), result.turns());
        assertEquals(List.of(10.0, 15.0, 30.0), result.averages());
        assertEquals(List.of("Async", "lets", "one", "thread", "serve", "many", "waits", "."), result.shown());
    }

    @Test
    void aCpuBoundTaskStarvesTheLoopAndBothCuresLetTheTickerRun() throws Exception {
        EventLoopSample.Result result = EventLoopSample.demonstrate(out);

        assertEquals(0, result.starved(), "nothing else runs while a task computes without waiting");
        assertTrue(result.sliced() > 0, result.toString());
        assertTrue(result.offloaded() > 0, result.toString());
    }

    @Test
    void javaUsesKotlinSuspendFunctionsAFlowAndImplementsASuspendInterface() throws Exception {
        MixedCodebaseSample.Result result = MixedCodebaseSample.demonstrate(out);

        assertEquals(16, result.temperature());
        assertEquals(List.of(17, 18, 19), result.forecast());
        assertEquals("pasta", result.cheapest());
    }

    @Test
    void theTourListsEverySample() {
        int exit = Tour.run(new String[] {"--list"}, out, out);

        assertEquals(0, exit);
        Tour.SAMPLES.forEach(sample -> assertTrue(text().contains(sample.name())));
    }

    @Test
    void anUnknownSampleIsAnError() {
        assertEquals(2, Tour.run(new String[] {"no-such-sample"}, out, out));
    }

    @Test
    void aFailingSampleMakesTheExitCodeNonZero() {
        Sample failing = new Sample() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public String title() {
                return "always fails";
            }

            @Override
            public void run(PrintStream out) {
                throw new AssertionError("claim does not hold");
            }
        };

        assertFalse(Tour.runAll(List.of(failing), out, out));
    }

    private String text() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
