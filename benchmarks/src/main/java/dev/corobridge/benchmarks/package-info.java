/**
 * JMH benchmarks of corobridge, each next to native kotlinx and the JDK/Reactor peers in the
 * same run. Run {@code benchmarks/run.sh quick} (or {@code full}); results go to BENCHMARKS.md.
 */
@NullMarked
package dev.corobridge.benchmarks;

import org.jspecify.annotations.NullMarked;
