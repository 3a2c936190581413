package dev.corobridge.samples;

import dev.corobridge.AsyncSemaphore;
import dev.corobridge.Calls;
import dev.corobridge.Coroutines;
import dev.corobridge.Outcome;
import dev.corobridge.RateLimiter;
import dev.corobridge.RetryPolicy;
import dev.corobridge.Task;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

/*
 * Seed 000: "I had to call a server over a lakh times." 100,000 requests to a real HTTP server on
 * 127.0.0.1 (5% of its answers are 503s), through the JDK's HttpClient.
 *
 * What to notice:
 *  - Calls.over(inputs) pulls inputs lazily: never more than 64 requests in flight (the server
 *    counts), and never 100,000 futures alive at once.
 *  - The rate limit caps starts per second; retry turns most 503s into answers; mapSettled gives
 *    every input an outcome, so the few that failed three times are reported, not thrown.
 *  - The progress bar is drawn from onProgress callbacks, which never run concurrently.
 *  - The bare version (a semaphore and gather) follows, with what it costs you; then Python.
 *  - The throughput ceiling here is the JDK's HttpClient on loopback (about 2,000 requests/s on a
 *    2-core machine, even with a bare j.u.c.Semaphore and no corobridge at all), not the
 *    scheduling; Python's asyncio client is lighter per request, and the tour prints both.
 */
final class LakhOfCallsSample implements Sample {
    static final int LAKH = 100_000;
    static final int IN_FLIGHT = 64;
    /** The by-hand version shows what Calls saves, not speed: a tenth of the calls is enough. */
    static final int BY_HAND = 10_000;

    record Result(int answered, int failed, int mostInFlight, Duration elapsed, Bare bare) {}

    record Bare(int failed, int mostInFlight) {}

    @Override
    public String name() {
        return "lakh";
    }

    @Override
    public String title() {
        return "a lakh of server calls: at most 64 in flight, rate limit, retries, progress (seed 000)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        demonstrate(out, LAKH);
        PythonSideBySide.run(out, "lakh_calls.py", Integer.toString(LAKH));
    }

    static Result demonstrate(PrintStream out, int calls) throws Exception {
        // HTTP/1.1 as the server speaks it: the default (HTTP/2) would try an h2c upgrade on every new connection.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (LoopbackServer server = new LoopbackServer(0.05)) {
            ProgressBar bar = new ProgressBar(out, calls);
            long start = System.nanoTime();
            List<Outcome<Long>> outcomes = Calls.over(LongStream.range(0, calls).boxed().toList())
                    .concurrency(IN_FLIGHT)
                    .rateLimit(RateLimiter.of(40_000, Duration.ofSeconds(1)))
                    .retry(RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build())
                    .onProgress(bar::draw)
                    .mapSettled((Long n) -> square(http, server, n))
                    .get();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            int failed = (int) outcomes.stream().filter(outcome -> !outcome.isSuccess()).count();
            out.printf("%n%,d calls in %.1f s (%,.0f calls/s), %,d requests with retries, %d failed 3 times, at most %d in flight%n",
                    calls, elapsed.toMillis() / 1000.0, calls * 1e9 / elapsed.toNanos(), server.requests(), failed,
                    server.mostInFlight());
            return new Result(calls - failed, failed, server.mostInFlight(), elapsed, bare(out, http, Math.min(calls, BY_HAND)));
        }
    }

    /**
     * The same job by hand, with a bare AsyncSemaphore and gatherSettled: every call's future is
     * created up front (100,000 alive at once), and retries, rate limit and progress would all be
     * yours to write; here they are left out, so the 503s stay failures.
     */
    static Bare bare(PrintStream out, HttpClient http, int calls) throws Exception {
        try (LoopbackServer server = new LoopbackServer(0.05)) {
            AsyncSemaphore slots = AsyncSemaphore.of(IN_FLIGHT);
            long start = System.nanoTime();
            List<Task<Long>> all = new ArrayList<>(calls);
            for (long n = 0; n < calls; n++) {
                long input = n;
                all.add(slots.withPermit(() -> square(http, server, input)));
            }
            List<Outcome<Long>> outcomes = Coroutines.gatherSettled(all).get();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            int failed = (int) outcomes.stream().filter(outcome -> !outcome.isSuccess()).count();
            out.printf("bare AsyncSemaphore + gatherSettled: %,d calls in %.1f s, %,d failed (no retry), %,d futures alive at once%n",
                    calls, elapsed.toMillis() / 1000.0, failed, calls);
            return new Bare(failed, server.mostInFlight());
        }
    }

    static CompletableFuture<Long> square(HttpClient http, LoopbackServer server, long n) {
        HttpRequest request = HttpRequest.newBuilder(server.square(n)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> response.statusCode() == 200
                ? CompletableFuture.completedFuture(Long.parseLong(response.body()))
                : CompletableFuture.failedFuture(new IOException("HTTP " + response.statusCode() + " for n=" + n)));
    }
}
