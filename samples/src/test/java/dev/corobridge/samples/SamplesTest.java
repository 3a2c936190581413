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
