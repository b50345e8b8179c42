package io.portico.api.config;

import java.nio.file.Path;

/**
 * What Portico tells an {@link ExtensionFactory} about the place an extension is created for.
 *
 * <p>Methods may be added in later versions of the API; implementations are provided by Portico
 * only.
 */
public interface ExtensionContext {

    /**
     * The directory of the configuration file. Relative file names in an extension's settings
     * (scripts, databases, rule files) are meant to be resolved against it.
     */
    Path configDirectory();

    /**
     * The key path of the extension's settings inside the configuration file, such as
     * {@code routes[2].filters[1].jwt}. Useful in log messages.
     */
    String configPath();

    /** Resolves a file name from the configuration against {@link #configDirectory()}. */
    default Path resolve(String file) {
        return configDirectory().resolve(file);
    }
}
