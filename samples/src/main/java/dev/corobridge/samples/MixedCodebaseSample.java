package dev.corobridge.samples;

import dev.corobridge.Coroutines;
import dev.corobridge.Generator;
import dev.corobridge.Suspend;
import dev.corobridge.samples.kotlin.PriceSource;
import dev.corobridge.samples.kotlin.Prices;
import dev.corobridge.samples.kotlin.WeatherService;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kotlin.coroutines.Continuation;
import org.jspecify.annotations.Nullable;

/*
 * A mixed Kotlin/Java codebase: the Kotlin side (kotlin/WeatherService.kt, kotlin/Prices.kt) has
 * suspend functions, a Flow and a suspend interface; this Java class uses them with no Kotlin.
 *
 * What to notice:
 *  - Coroutines.call(c -> weather.temperature("Lisbon", c)) calls a suspend function: the lambda
 *    passes the continuation on as the function's last argument. The result is a Task.
 *  - Generator.from(flow) reads a Kotlin Flow one element at a time, as a Java generator.
 *  - JavaPriceSource implements the Kotlin interface PriceSource (suspend fun price) from a
 *    CompletableFuture with Suspend.await; Kotlin's cheapest() calls it like any suspend function.
 */
final class MixedCodebaseSample implements Sample {

    record Result(int temperature, List<Integer> forecast, String cheapest) {}

    /** Java implementing a Kotlin suspend interface. */
    static final class JavaPriceSource implements PriceSource {
        private static final Map<String, Integer> PRICES = Map.of("pizza", 12, "pasta", 9, "salad", 11);

        @Override
        public @Nullable Object price(String item, Continuation<? super Integer> continuation) {
            CompletableFuture<Integer> lookup = Coroutines.sleep(Duration.ofMillis(5)).thenApply(ignored -> PRICES.get(item));
            return Suspend.await(lookup, continuation);
        }
    }

    @Override
    public String name() {
        return "kotlin";
    }

    @Override
    public String title() {
        return "a mixed Kotlin/Java codebase: suspend functions, a Flow, a suspend interface implemented in Java";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out);
    }

    static Result demonstrate(PrintStream out) throws Exception {
        WeatherService weather = new WeatherService();

        int temperature = Coroutines.<Integer>call(c -> weather.temperature("Lisbon", c)).get();
        out.println("temperature in Lisbon: " + temperature);

        List<Integer> forecast;
        try (Generator<Integer> days = Generator.from(weather.forecast("Lisbon"))) {
            forecast = days.toList().get();
        }
        out.println("forecast: " + forecast);

        PriceSource prices = new JavaPriceSource();
        String cheapest = Coroutines.<String>call(c -> Prices.cheapest(prices, List.of("pizza", "pasta", "salad"), c)).get();
        out.println("cheapest, chosen by Kotlin from prices served by Java: " + cheapest);
        return new Result(temperature, forecast, cheapest);
    }
}
