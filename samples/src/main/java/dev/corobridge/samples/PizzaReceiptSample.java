package dev.corobridge.samples;

import dev.corobridge.Coroutines;
import dev.corobridge.Task;
import java.io.PrintStream;
import java.time.Duration;

/*
 * Seed 003: "Think of a Future as a pizza order receipt."
 *
 * What to notice:
 *  - A Task is a CompletableFuture: the receipt you hold while the pizza is made.
 *  - Pending: ordered, not ready (isDone() is false).
 *  - Done: ready to pick up (join() hands you the pizza).
 *  - Cancelled: you changed your mind; cancel() also stops the kitchen, because the
 *    coroutine behind the receipt is cancelled with it.
 */
final class PizzaReceiptSample implements Sample {

    record Receipts(Task<String> margherita, Task<String> hawaii) {}

    @Override
    public String name() {
        return "future";
    }

    @Override
    public String title() {
        return "a Future is a pizza-order receipt: pending, done, cancelled (seed 003)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out);
    }

    static Receipts demonstrate(PrintStream out) throws Exception {
        Task<String> margherita = order("margherita", Duration.ofMillis(50));
        Task<String> hawaii = order("hawaii", Duration.ofHours(1));
        out.println("margherita: " + state(margherita) + ", hawaii: " + state(hawaii));

        out.println("picked up: " + margherita.get());
        hawaii.cancel(true);
        hawaii.cancelAndJoin().get(); // the kitchen has really stopped

        out.println("margherita: " + state(margherita) + ", hawaii: " + state(hawaii));
        return new Receipts(margherita, hawaii);
    }

    private static Task<String> order(String pizza, Duration bakingTime) {
        return Coroutines.async(() -> Coroutines.sleep(bakingTime).thenApply(ignored -> pizza + " pizza"));
    }

    private static String state(Task<String> receipt) {
        return receipt.isCancelled() ? "cancelled" : receipt.isDone() ? "done" : "pending";
    }
}
