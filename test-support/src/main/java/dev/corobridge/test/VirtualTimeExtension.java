package dev.corobridge.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that hands each test method that asks for one a fresh
 * {@link VirtualClock}.
 *
 * <pre>{@code
 * @ExtendWith(VirtualTimeExtension.class)
 * class RetryTest {
 *     @Test
 *     void backsOffForAMinute(VirtualClock clock) throws Exception { ... }
 * }
 * }</pre>
 */
public final class VirtualTimeExtension implements ParameterResolver {

    /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
    public VirtualTimeExtension() {}

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == VirtualClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return new VirtualClock();
    }
}
