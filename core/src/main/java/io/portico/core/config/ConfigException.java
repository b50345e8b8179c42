package io.portico.core.config;

import java.nio.file.Path;

/**
 * A configuration that cannot be used, with where and why: {@code portico.yaml:
 * routes[2].filters[1].jwt.audience: expected a string}.
 */
public final class ConfigException extends RuntimeException {

    private final transient Path file;
    private final String keyPath;
    private final String problem;

    /**
     * @param file the configuration file, or {@code null} when not from a file
     * @param keyPath the key path inside it ({@code routes[2].upstream}); empty for the whole file
     * @param problem what is wrong and what was expected
     */
    public ConfigException(Path file, String keyPath, String problem) {
        super(format(file, keyPath, problem));
        this.file = file;
        this.keyPath = keyPath;
        this.problem = problem;
    }

    private static String format(Path file, String keyPath, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file).append(": ");
        }
        if (keyPath != null && !keyPath.isEmpty()) {
            sb.append(keyPath).append(": ");
        }
        return sb.append(problem).toString();
    }

    /** The file, or {@code null}. */
    public Path file() {
        return file;
    }

    /** The key path, empty for the whole file. */
    public String keyPath() {
        return keyPath;
    }

    /** What is wrong. */
    public String problem() {
        return problem;
    }
}
