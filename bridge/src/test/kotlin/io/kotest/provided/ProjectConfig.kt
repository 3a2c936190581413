package io.kotest.provided

import dev.corobridge.bridge.NoLeaks
import io.kotest.core.config.AbstractProjectConfig
import io.kotest.core.extensions.Extension

/** Kotest's project configuration (found by this name): every spec in the bridge runs under [NoLeaks]. */
class ProjectConfig : AbstractProjectConfig() {
    override val extensions: List<Extension> = listOf(NoLeaks)
}
