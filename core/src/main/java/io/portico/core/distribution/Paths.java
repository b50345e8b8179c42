package io.portico.core.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths as a descriptor writes them, and the files of an installation's directories. */
final class Paths {

    private Paths() {
    }

    /** {@code path} resolved against {@code baseDir}, with a leading {@code ~/} expanded ({@code ~/} is the user's home). */
    static Path resolve(Path baseDir, String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(path.substring(Math.min(2, path.length()))).normalize();
        }
        return baseDir.resolve(path).normalize();
    }

    /**
     * The regular files of {@code dir} whose names end in one of {@code suffixes}, sorted; none
     * when {@code dir} does not exist.
     *
     * @throws DistributionException when the directory cannot be listed
     */
    static List<Path> files(Path dir, List<String> suffixes) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile)
                    .filter(file -> suffixes.stream().anyMatch(file.getFileName().toString()::endsWith))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DistributionException("cannot list " + dir + ": " + e, e);
        }
    }
}
