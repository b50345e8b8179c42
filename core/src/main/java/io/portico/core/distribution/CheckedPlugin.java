package io.portico.core.distribution;

import java.nio.file.Path;

/**
 * A plugin file whose PF4J descriptor was read and found compatible with this core.
 *
 * @param id its {@code Plugin-Id}
 * @param version its {@code Plugin-Version}
 * @param requires its {@code Plugin-Requires} range of plugin API versions; {@code *} for any
 * @param file the jar or zip
 * @param source where it came from, for the manifest: {@code jar ./acme.jar}, {@code maven
 *     g:a:v https://...}, or {@code installation} for a plugin of the base
 */
public record CheckedPlugin(String id, String version, String requires, Path file, String source) {

    /** The file's name, which it keeps in {@code plugins/}. */
    public String fileName() {
        return file.getFileName().toString();
    }
}
