package io.portico.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the plugin API ({@code portico-plugin-api}) that this Portico provides: what a
 * plugin's {@code Plugin-Requires} range is checked against.
 *
 * <p>The version is the build's version without its qualifier: a {@code 0.1.0-SNAPSHOT} build
 * provides {@code 0.1.0}. In semantic versioning a pre-release sorts below its release, so with the
 * qualifier a plugin requiring {@code >=0.1.0} would be refused by the very build it was compiled
 * against; a snapshot is taken to be the release it leads to instead.
 */
public final class PluginApiVersion {

    private static final String RESOURCE = "plugin-api.properties";
    private static final String CURRENT = load();

    private PluginApiVersion() {
    }

    /** The plugin API version plugins are checked against, e.g. {@code 0.1.0}. */
    public static String current() {
        return CURRENT;
    }

    /** {@code version} without its pre-release qualifier or build metadata: {@code 1.2.0-rc.1+5} is {@code 1.2.0}. */
    static String release(String version) {
        int cut = version.length();
        for (char separator : new char[] {'-', '+'}) {
            int at = version.indexOf(separator);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return version.substring(0, cut);
    }

    private static String load() {
        Properties properties = new Properties();
        try (InputStream in = PluginApiVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: the core jar is damaged");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return release(properties.getProperty("version"));
    }
}
