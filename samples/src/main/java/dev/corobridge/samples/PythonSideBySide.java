package dev.corobridge.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python asyncio version of a sample (from {@code samples/python/}, packed into the jar)
 * with the machine's {@code python3}, and prints what it measured next to the Java numbers. Says
 * so and carries on when {@code python3} is not installed.
 */
final class PythonSideBySide {
    private PythonSideBySide() {}

    /** Runs {@code script} with {@code args}; returns its output, or null if python3 is missing. */
    static String run(PrintStream out, String script, String... args) throws IOException, InterruptedException {
        byte[] source;
        try (InputStream in = Objects.requireNonNull(PythonSideBySide.class.getResourceAsStream("/python/" + script),
                "no packed script " + script)) {
            source = in.readAllBytes();
        }
        Process python;
        try {
            List<String> command = new ArrayList<>(List.of("python3", "-"));
            command.addAll(List.of(args));
            python = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException missing) {
            out.println("python side by side: skipped, no python3 on this machine");
            return null;
        }
        try (OutputStream stdin = python.getOutputStream()) {
            stdin.write(source);
        }
        String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(5, TimeUnit.MINUTES) || python.exitValue() != 0) {
            python.destroyForcibly();
            throw new IllegalStateException("python3 " + script + " failed:\n" + printed);
        }
        out.print("python asyncio, same job: " + printed);
        return printed;
    }
}
