package io.portico.core.distribution;

/**
 * One entry of a descriptor's {@code plugins} list: exactly one of
 *
 * <pre>{@code
 * - jar: ./plugins/acme-auth-1.2.0.jar           # a plugin jar or zip, relative to the descriptor
 * - maven: com.acme:acme-auth:1.2.0              # Maven coordinates; com.acme:acme-auth:zip:1.2.0 for a zip
 * }</pre>
 *
 * @param jar the path of a local plugin jar or zip, or {@code null}
 * @param maven the Maven coordinates of a plugin, or {@code null}
 */
public record PluginSource(String jar, String maven) {

    /** Checks that exactly one of the two is given, and that coordinates are well formed. */
    public PluginSource {
        if ((jar == null) == (maven == null)) {
            throw new IllegalArgumentException("expected exactly one of 'jar' (a local plugin file) or 'maven'"
                    + " (groupId:artifactId:version)");
        }
        if (jar != null && jar.isBlank()) {
            throw new IllegalArgumentException("expected the path of a plugin jar or zip, got an empty string");
        }
        if (maven != null) {
            MavenCoordinates.parse(maven);
        }
    }

    /** The coordinates of a {@code maven} entry. */
    public MavenCoordinates coordinates() {
        return MavenCoordinates.parse(maven);
    }

    @Override
    public String toString() {
        return jar != null ? "jar " + jar : "maven " + maven;
    }
}
