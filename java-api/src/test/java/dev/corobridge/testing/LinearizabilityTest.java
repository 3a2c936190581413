package dev.corobridge.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The two runs every Lincheck test class of the library makes over its own {@code @Operation}s:
 * stress mode in every build, model checking on request (see {@link Linearizability}).
 */
public abstract class LinearizabilityTest {

    /** Explores interleavings exhaustively; slow (about a minute), so run on request. */
    @Test
    @EnabledIfSystemProperty(named = "corobridge.lincheck.modelChecking", matches = "true")
    public void isLinearizableUnderModelChecking() {
        Linearizability.checkByModelChecking(getClass());
    }

    @Test
    public void isLinearizableUnderStress() {
        Linearizability.checkUnderStress(getClass());
    }
}
