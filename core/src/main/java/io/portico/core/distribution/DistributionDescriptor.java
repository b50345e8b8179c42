package io.portico.core.distribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code portico dist} builds, read from a YAML file with the rules of Portico's own
 * configuration (kebab-case keys, unknown keys refused, errors naming the file and the key path):
 *
 * <pre>{@code
 * name: acme-edge                  # names the distribution in MANIFEST.txt
 * base: minimal                    # installation (default) or minimal
 * plugins:
 *   - jar: ./plugins/acme-auth-1.2.0.jar
 *   - maven: io.portico:portico-example-balancer:0.1.0-SNAPSHOT
 * repositories:                    # default: ~/.m2/repository, then Maven Central
 *   - https://repo.maven.apache.org/maven2
 *   - ~/.m2/repository
 * conf: ./conf                     # a conf/ directory to ship instead of the installation's
 * jlink: false                     # true: ship a Java runtime made by jlink in runtime/
 * }</pre>
 *
 * <p>Relative paths ({@code jar}, {@code conf}, directory repositories) are relative to the
 * descriptor's directory; {@code ~/} is the user's home.
 *
 * @param name the distribution's name: letters, digits, {@code .}, {@code _} and {@code -}
 * @param base what the distribution starts from, before its plugins are added
 * @param plugins the plugins to add
 * @param repositories where Maven coordinates are looked up, in order: {@code http(s)://} URLs of
 *     remote repositories, {@code file:} URLs or paths of repository directories
 * @param conf the configuration directory to ship, or {@code null} for the installation's
 * @param jlink whether to ship a Java runtime made by {@code jlink}, so the target needs no JDK
 */
public record DistributionDescriptor(
        String name,
        Base base,
        List<PluginSource> plugins,
        List<String> repositories,
        String conf,
        boolean jlink) {

    /** Maven Central, the last repository by default. */
    public static final String CENTRAL = "https://repo.maven.apache.org/maven2";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** What a distribution starts from. */
    public enum Base {
        /** Everything the running installation holds: its launcher, libraries, configuration and plugins. */
        INSTALLATION,
        /**
         * The running installation without the plugins the minimal distribution leaves out: its
         * launcher, libraries and configuration, and the load balancers plugin. An installation
         * that carries JavaScript filters (the full distribution) cannot be a minimal base.
         */
        MINIMAL
    }

    /** Applies defaults and checks the name. */
    public DistributionDescriptor {
        if (name == null) {
            throw new IllegalArgumentException("expected a name for the distribution, such as acme-edge");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("expected a name of letters, digits, '.', '_' and '-', got '" + name + "'");
        }
        base = base == null ? Base.INSTALLATION : base;
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
        repositories = repositories == null ? List.of("~/.m2/repository", CENTRAL) : List.copyOf(repositories);
    }

    /**
     * Reads a descriptor file.
     *
     * @throws ConfigException naming the file, the key path and what was expected
     */
    public static DistributionDescriptor load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file, "", "cannot read: " + e);
        }
        ObjectMapper mapper = ConfigMapper.create();
        JsonNode tree;
        try {
            tree = mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file, "", "not valid YAML: " + e.getOriginalMessage());
        }
        if (tree == null || tree instanceof MissingNode || tree.isNull()) {
            throw new ConfigException(file, "", "empty: expected at least a name, such as 'name: acme-edge'");
        }
        return ConfigMapper.bind(mapper, tree, DistributionDescriptor.class, file, "");
    }
}
