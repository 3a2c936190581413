package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corobridge.testing.NoLeaks;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(NoLeaks.class)
class BadInputTest {

    private static final Supplier<CompletionStage<String>> BODY = () -> CompletableFuture.completedFuture("x");

    static Stream<Arguments> nullArguments() {
        TaskScope scope = TaskScope.open();
        scope.close();
        TaskScope live = TaskScope.openSupervisor();
        return Stream.of(
                Arguments.of("body", (Executable) () -> Coroutines.run(null)),
                Arguments.of("body", (Executable) () -> Coroutines.async(null)),
                Arguments.of("body", (Executable) () -> Coroutines.asyncBlocking(null)),
                Arguments.of("duration", (Executable) () -> Coroutines.sleep(null)),
                Arguments.of("timeout", (Executable) () -> Coroutines.timeout(null, BODY)),
                Arguments.of("body", (Executable) () -> Coroutines.timeout(Duration.ZERO, null)),
                Arguments.of("stages", (Executable) () -> Coroutines.gather(null)),
                Arguments.of("stages[1]", (Executable) () -> Coroutines.gather(Arrays.asList(CompletableFuture.completedFuture(1), null))),
                Arguments.of("stages", (Executable) () -> Coroutines.gatherSettled(null)),
                Arguments.of("stages", (Executable) () -> Coroutines.race(null)),
                Arguments.of("body", (Executable) () -> Coroutines.taskGroup(null)),
                Arguments.of("body", (Executable) () -> Coroutines.supervisor(null)),
                Arguments.of("call", (Executable) () -> Coroutines.call(null)),
                Arguments.of("stage", (Executable) () -> Coroutines.await(null)),
                Arguments.of("stage", (Executable) () -> Suspend.await(null, null)),
                Arguments.of("deferred", (Executable) () -> Task.from((kotlinx.coroutines.Deferred<String>) null)),
                Arguments.of("job", (Executable) () -> Task.from((kotlinx.coroutines.Job) null)),
                Arguments.of("scope", (Executable) () -> TaskScope.from(null)),
                Arguments.of("body", (Executable) () -> live.async(null)),
                Arguments.of("executor", (Executable) () -> live.async(BODY, null)),
                Arguments.of("body", (Executable) () -> live.asyncBlocking(null)),
                Arguments.of("executor", (Executable) () -> live.asyncBlocking(() -> 1, null)),
                Arguments.of("call", (Executable) () -> live.call(null)),
                Arguments.of("failure", (Executable) () -> Outcome.failure(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullArguments")
    void nullFailsAtTheCallNamingTheParameter(String parameter, Executable call) {
        NullPointerException thrown = assertThrows(NullPointerException.class, call);

        assertEquals(parameter, thrown.getMessage());
    }

    static Stream<Arguments> negativeDurations() {
        return Stream.of(
                Arguments.of("duration must not be negative, was PT-0.001S",
                        (Executable) () -> Coroutines.sleep(Duration.ofMillis(-1))),
                Arguments.of("timeout must not be negative, was PT-1H",
                        (Executable) () -> Coroutines.timeout(Duration.ofHours(-1), BODY)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negativeDurations")
    void negativeDurationsFailNamingTheValue(String message, Executable call) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, call);

        assertEquals(message, thrown.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyRace")
    void anEmptyRaceIsRefused(List<CompletableFuture<String>> none) {
        assertThrows(IllegalArgumentException.class, () -> Coroutines.race(none));
    }

    static Stream<List<CompletableFuture<String>>> emptyRace() {
        return Stream.of(List.of());
    }
}
