package io.portico.js;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A configuration directory for a test: portico.yaml and scripts under filters/. */
final class ConfigDir {

    /** Where the SDK's example filters live, from this module's directory. */
    static final Path EXAMPLES = Path.of("../../sdk-examples/js");

    private final Path dir;

    ConfigDir(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code text} to {@code filters/<name>}; returns the path. */
    Path script(String name, String text) {
        return write("filters/" + name, text);
    }

    /** Copies the SDK example {@code name} to {@code filters/<name>}. */
    Path example(String name) {
        try {
            return script(name, Files.readString(EXAMPLES.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes portico.yaml, listening on a free loopback port; returns its path. */
    Path config(String yaml) {
        return write("portico.yaml", "listen: [{address: '127.0.0.1:0'}]\n" + yaml);
    }

    Path write(String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
