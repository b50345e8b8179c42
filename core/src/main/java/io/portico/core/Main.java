package io.portico.core;

import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigLoader;
import io.portico.core.config.PorticoConfig;
import io.portico.core.demo.DemoOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The command line: {@code portico [--config FILE] [demo]}, {@code portico [--config FILE]
 * plugins}, or {@code portico dist --descriptor FILE --output FILE.tar.gz}.
 *
 * <ul>
 *   <li>{@code --config FILE}: the configuration (default {@code conf/portico.yaml} under the
 *       installation, {@code -Dportico.home}, else under the working directory);
 *   <li>{@code demo}: also start two demo origins on 127.0.0.1:9001 and 127.0.0.1:9002;
 *   <li>{@code plugins}: list the installed plugins, the extensions each provides and the plugins
 *       that failed to load, then exit (see {@link PluginsCommand}); the plugins directory is the
 *       configuration's {@code plugins.dir}.
 *   <li>{@code dist}: build a custom distribution from this installation and the plugins a
 *       descriptor names, then exit (see {@link DistCommand}).
 * </ul>
 *
 * <p>Exit status: 0 after a graceful shutdown (SIGTERM or SIGINT), 2 for a configuration error
 * (the message names the file, the key path and what was expected), 1 for any other failure
 * to start.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /** Runs Portico until it is told to stop. */
    public static void main(String[] args) {
        Path configFile = null;
        boolean demo = false;
        boolean listPlugins = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 == args.length) {
                        usage("--config needs a file");
                    }
                    configFile = Path.of(args[++i]);
                }
                case "demo" -> demo = true;
                case "plugins" -> listPlugins = true;
                case "dist" -> {
                    String home = System.getProperty("portico.home");
                    System.exit(DistCommand.run(Arrays.copyOfRange(args, i + 1, args.length),
                            home == null ? null : Path.of(home), System.out, System.err));
                }
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        if (configFile == null) {
            configFile = Path.of(System.getProperty("portico.home", ".")).resolve("conf/portico.yaml");
        }
        configFile = configFile.toAbsolutePath().normalize();
        System.exit(listPlugins ? listPlugins(configFile) : run(configFile, demo));
    }

    private static final String USAGE = """
            usage: portico [--config FILE] [demo]
                   portico [--config FILE] plugins
                   %s
              --config FILE  the configuration file (default: conf/portico.yaml of the installation)
              demo           also start two demo origins on 127.0.0.1:9001 and 127.0.0.1:9002
              plugins        list the installed plugins and their extensions, then exit
              dist           build a custom distribution with the plugins a descriptor names
                             (see docs/distributions.md)""".formatted(DistCommand.USAGE);

    private static void usage(String problem) {
        System.err.println("portico: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }

    private static int listPlugins(Path configFile) {
        try {
            PorticoConfig config = load(configFile);
            return PluginsCommand.run(configFile.getParent().resolve(config.plugins().dir()).normalize(), System.out);
        } catch (ConfigException e) {
            System.err.println("portico: configuration error: " + e.getMessage());
            return 2;
        }
    }

    private static PorticoConfig load(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(configFile, "", "no such file");
        }
        return ConfigLoader.load(configFile);
    }

    private static int run(Path configFile, boolean demo) {
        List<DemoOrigin> origins = new ArrayList<>();
        Portico portico;
        PorticoConfig config;
        try {
            config = load(configFile);
            if (demo) {
                origins.add(DemoOrigin.start("127.0.0.1", 9001, "origin 1"));
                origins.add(DemoOrigin.start("127.0.0.1", 9002, "origin 2"));
                LOG.info("demo origins listening on 127.0.0.1:9001 and 127.0.0.1:9002");
            }
            portico = Portico.start(config, configFile);
        } catch (ConfigException e) {
            System.err.println("portico: configuration error: " + e.getMessage());
            origins.forEach(DemoOrigin::close);
            return 2;
        } catch (RuntimeException e) {
            System.err.println("portico: cannot start: " + e.getMessage());
            LOG.debug("start failed", e);
            origins.forEach(DemoOrigin::close);
            return 1;
        }

        // A signal handler rather than a shutdown hook: after a hook the JVM exits with 143, and a
        // graceful stop is a success (exit 0) for init systems and orchestrators.
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        var deadline = config.shutdown().deadline();
        LOG.info("stopping: finishing requests in flight (up to {})", deadline);
        boolean clean = portico.shutdown(deadline);
        origins.forEach(DemoOrigin::close);
        LOG.info(clean ? "stopped" : "stopped with requests cut short");
        // The logging appenders are asynchronous: stop them so that the last lines are written.
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.stop();
        }
        return 0;
    }
}
