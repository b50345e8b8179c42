package io.portico.plugins.balancers;

import io.portico.api.config.ExtensionContext;
import java.nio.file.Path;

/** What tests pass to factories. */
final class Contexts {

    /** An extension context for an upstream named {@code api}. */
    static final ExtensionContext EXTENSION = new ExtensionContext() {
        @Override
        public Path configDirectory() {
            return Path.of(".");
        }

        @Override
        public String configPath() {
            return "upstreams.api.balancer";
        }
    };

    private Contexts() {
    }
}
