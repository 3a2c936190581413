/**
 * Virtual time for tests of code that uses corobridge (artifact {@code corobridge-test}): code
 * that waits minutes or hours runs in milliseconds, deterministically.
 *
 * <p>{@link dev.corobridge.test.VirtualTime#run} is {@code Coroutines.run} on a virtual clock;
 * {@link dev.corobridge.test.VirtualTimeExtension} hands a test method a
 * {@link dev.corobridge.test.VirtualClock}. Built on kotlinx-coroutines-test, which only this
 * artifact depends on.
 */
@NullMarked
package dev.corobridge.test;

import org.jspecify.annotations.NullMarked;
