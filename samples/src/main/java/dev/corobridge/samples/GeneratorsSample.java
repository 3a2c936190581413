package dev.corobridge.samples;

import dev.corobridge.Generator;
import dev.corobridge.Receiver;
import dev.corobridge.TwoWayGenerator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/*
 * Seeds 002 and 003: generators, send, and an LLM streaming its tokens to the UI.
 *
 * What to notice:
 *  - Generator.of is Python's generator function: yield hands out one value and waits until the
 *    consumer asks for the next (watch "made" and "got" take turns): nothing is computed ahead.
 *  - TwoWayGenerator is "reply = yield value": send(x) resumes the body with x, Python's gen.send.
 *  - Receiver is seed 003's receiver coroutine ("value = yield"); the LLM generator's tokens are
 *    sent to it and printed as they arrive, like a chat UI showing a streamed answer.
 *  - try-with-resources closes the generators: an endless producer is stopped and its finally runs.
 */
final class GeneratorsSample implements Sample {

    record Result(List<String> turns, List<Double> averages, List<String> shown) {}

    @Override
    public String name() {
        return "generators";
    }

    @Override
    public String title() {
        return "yield, send, and an LLM token stream from a generator to a receiver (seeds 002, 003)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out);
    }

    static Result demonstrate(PrintStream out) throws Exception {
        List<String> turns = new ArrayList<>();
        try (Generator<String> things = Generator.of(yielder -> {
            for (String thing : List.of("something", "other thing")) {
                turns.add("made " + thing);
                yielder.yield(thing);
            }
        })) {
            things.forEach(thing -> turns.add("got " + thing));
        }
        out.println("generator: " + turns);

        List<Double> averages = new ArrayList<>();
        try (TwoWayGenerator<Double, Double> averager = TwoWayGenerator.of(yielder -> {
            double total = 0;
            int count = 0;
            Double value = yielder.yield(Double.NaN);
            while (true) {
                total += value;
                count++;
                value = yielder.yield(total / count);
            }
        })) {
            averager.next().join();
            for (double sent : new double[] {10, 20, 60}) {
                averages.add(averager.send(sent).join().orElseThrow());
            }
        }
        out.println("send: running averages of 10, 20, 60 = " + averages);

        List<String> shown = new ArrayList<>();
        try (Generator<String> llm = Generator.of(yielder -> {
                    for (String token : "Async lets one thread serve many waits .".split(" ")) {
                        yielder.yield(token);
                    }
                });
                Receiver<String> ui = Receiver.of(inbox -> {
                    while (true) {
                        String token = inbox.receive();
                        shown.add(token);
                        out.print(token + " ");
                    }
                })) {
            for (Optional<String> token = llm.next().join(); token.isPresent(); token = llm.next().join()) {
                ui.send(token.get()).join();
            }
            out.println();
        }
        return new Result(turns, averages, shown);
    }
}
