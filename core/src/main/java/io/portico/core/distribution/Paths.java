package io.portico.core.distribution;

import java.nio.file.Path;

/** Paths as a descriptor writes them: relative to its directory, {@code ~/} for the user's home. */
final class Paths {

    private Paths() {
    }

    /** {@code path} resolved against {@code baseDir}, with a leading {@code ~/} expanded. */
    static Path resolve(Path baseDir, String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(path.substring(Math.min(2, path.length()))).normalize();
        }
        return baseDir.resolve(path).normalize();
    }
}
