package io.portico.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.portico.core.config.ConfigException;
import io.portico.core.distribution.DistributionBuilder;
import io.portico.core.distribution.DistributionDescriptor;
import io.portico.core.distribution.DistributionException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * {@code portico dist --descriptor FILE --output FILE.tar.gz}: builds a custom distribution from
 * the running installation and the plugins a descriptor names (see {@link DistributionDescriptor}
 * and {@link DistributionBuilder}).
 *
 * <pre>
 * $ bin/portico dist --descriptor acme-edge.yaml --output acme-edge.tar.gz
 * fetched io.portico:portico-example-balancer:0.1.0 from https://... (SHA-1 verified)
 * plugin example-balancer 0.1.0 (requires plugin-api &gt;=0.1.0; this core has 0.1.0): ok
 * ...
 * wrote acme-edge.tar.gz (10.1 MB) with 3 plugins
 * </pre>
 *
 * <p>Exit status: 0 when the archive was written; 2 for a usage or descriptor error (naming the
 * file, the key path and what was expected); 1 when a plugin is refused or the build fails, with
 * the reason on standard error (such as {@code plugin X requires plugin-api >=2.0.0, this core has
 * 0.1.0}). Nothing is written on failure.
 */
public final class DistCommand {

    static final String USAGE = "portico dist --descriptor FILE --output FILE.tar.gz";

    private DistCommand() {
    }

    /**
     * Parses {@code args} (what follows {@code dist}) and builds the distribution.
     *
     * @param installation the running installation ({@code PORTICO_HOME}), or {@code null} when
     *     Portico was not started by a distribution's launcher
     * @return the exit status
     */
    public static int run(String[] args, Path installation, PrintStream out, PrintStream err) {
        Path descriptorFile = null;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--descriptor", "-d" -> descriptorFile = value == null ? null : Path.of(value);
                case "--output", "-o" -> output = value == null ? null : Path.of(value);
                default -> {
                    return usage(err, "unknown argument '" + args[i] + "'");
                }
            }
            if (value == null) {
                return usage(err, args[i] + " needs a file");
            }
            i++;
        }
        if (descriptorFile == null || output == null) {
            return usage(err, "dist needs --descriptor and --output");
        }
        if (installation == null) {
            err.println("portico: dist copies an installation: run it with the bin/portico of an unpacked distribution");
            return 2;
        }
        // PF4J's loading and unloading lines would bury the command's own; its warnings still show.
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger("org.pf4j").setLevel(Level.WARN);
        }
        try {
            DistributionDescriptor descriptor = DistributionDescriptor.load(descriptorFile.toAbsolutePath());
            DistributionBuilder.Result result = DistributionBuilder.build(installation, descriptor, descriptorFile,
                    output.toAbsolutePath(), out::println);
            out.printf("wrote %s (%s) with %d plugins%s%n", output, megabytes(result.archiveBytes()), result.plugins().size(),
                    result.runtimeModules().isEmpty() ? ""
                            : "; runtime/ made by jlink: %d modules, %s unpacked".formatted(result.runtimeModules().size(),
                                    megabytes(result.runtimeBytes())));
            out.flush();
            return 0;
        } catch (ConfigException e) {
            err.println("portico: descriptor error: " + e.getMessage());
            return 2;
        } catch (DistributionException e) {
            err.println("portico: " + e.getMessage());
            return 1;
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    private static int usage(PrintStream err, String problem) {
        err.println("portico: " + problem);
        err.println("usage: " + USAGE);
        return 2;
    }
}
