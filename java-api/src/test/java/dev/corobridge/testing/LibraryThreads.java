package dev.corobridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live threads that corobridge started (named {@code corobridge-*}), with their stacks.
 *
 * <p>On JDK 21+ blocking bodies run on virtual threads, which {@link Thread#getAllStackTraces()}
 * does not list; there the JDK's own thread dump (which does list the virtual threads of a
 * thread-per-task executor) is read instead. kotlinx's pooled {@code DefaultDispatcher-worker}s
 * are not the library's and are left out.
 */
public final class LibraryThreads {
    /** The prefix of every thread name the library gives. */
    public static final String PREFIX = "corobridge-";

    private static final Method DUMP_THREADS = dumpThreadsMethod();

    private LibraryThreads() {}

    /** Returns a snapshot: thread name → stack, of the live library threads. */
    public static Map<String, String> live() {
        Map<String, String> live = new LinkedHashMap<>();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            if (thread.getName().startsWith(PREFIX) && thread.isAlive()) {
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement frame : entry.getValue()) {
                    stack.append("    at ").append(frame).append('\n');
                }
                live.put(thread.getName(), stack.toString());
            }
        }
        if (DUMP_THREADS != null) {
            live.putAll(virtualFromThreadDump());
        }
        return live;
    }

    /** Library threads in the JDK's plain-text thread dump: blocks headed {@code #tid "name" ...}. */
    private static Map<String, String> virtualFromThreadDump() {
        Map<String, String> found = new LinkedHashMap<>();
        String[] blocks = threadDump().split("\\R\\R");
        for (String block : blocks) {
            String header = block.strip();
            int open = header.indexOf('"');
            int close = open < 0 ? -1 : header.indexOf('"', open + 1);
            if (!header.startsWith("#") || close < 0) {
                continue;
            }
            String name = header.substring(open + 1, close);
            if (name.startsWith(PREFIX)) {
                found.put(name, header.substring(header.indexOf('\n') + 1) + '\n');
            }
        }
        return found;
    }

    private static String threadDump() {
        try {
            Path file = Files.createTempFile("corobridge-threads", ".txt");
            Files.delete(file); // the dump refuses to overwrite a file
            try {
                Object bean = ManagementFactory.getPlatformMXBean(
                        Class.forName("com.sun.management.HotSpotDiagnosticMXBean").asSubclass(PlatformManagedObject.class));
                Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
                Object plainText = format.getField("TEXT_PLAIN").get(null);
                DUMP_THREADS.invoke(bean, file.toString(), plainText);
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK's thread dump is not available", e);
        }
    }

    /** {@code HotSpotDiagnosticMXBean.dumpThreads(String, ThreadDumpFormat)}, JDK 21+; null before. */
    private static Method dumpThreadsMethod() {
        try {
            Thread.class.getMethod("ofVirtual");
            Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            return bean.getMethod("dumpThreads", String.class, format);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
