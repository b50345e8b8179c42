package io.portico.core.distribution;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The Maven coordinates of a plugin: {@code groupId:artifactId:version}, or {@code
 * groupId:artifactId:extension:version} for a plugin zip ({@code com.acme:acme-auth:zip:1.2.0}).
 *
 * @param groupId e.g. {@code com.acme}
 * @param artifactId e.g. {@code acme-auth}
 * @param extension {@code jar} or {@code zip}
 * @param version e.g. {@code 1.2.0} or {@code 1.3.0-SNAPSHOT}
 */
public record MavenCoordinates(String groupId, String artifactId, String extension, String version) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.+-]+");

    /**
     * Parses {@code groupId:artifactId[:extension]:version}.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static MavenCoordinates parse(String text) {
        String[] parts = text.split(":", -1);
        boolean wellFormed = (parts.length == 3 || parts.length == 4)
                && Arrays.stream(parts).allMatch(part -> PART.matcher(part).matches());
        if (!wellFormed) {
            throw new IllegalArgumentException("expected Maven coordinates groupId:artifactId:version"
                    + " (or groupId:artifactId:zip:version for a plugin zip), got '" + text + "'");
        }
        String extension = parts.length == 4 ? parts[2] : "jar";
        if (!extension.equals("jar") && !extension.equals("zip")) {
            throw new IllegalArgumentException("expected the extension jar or zip in '" + text + "', got '" + extension + "'");
        }
        return new MavenCoordinates(parts[0], parts[1], extension, parts[parts.length - 1]);
    }

    /** Whether the version is a snapshot, whose files a remote repository names by timestamp. */
    public boolean isSnapshot() {
        return version.endsWith("-SNAPSHOT");
    }

    /** The directory of this version in a repository: {@code com/acme/acme-auth/1.2.0}. */
    public String directory() {
        return groupId.replace('.', '/') + "/" + artifactId + "/" + version;
    }

    /** The file name of this version, {@code acme-auth-1.2.0.jar}; a snapshot's by its base version. */
    public String fileName() {
        return artifactId + "-" + version + "." + extension;
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + (extension.equals("jar") ? "" : ":" + extension) + ":" + version;
    }
}
