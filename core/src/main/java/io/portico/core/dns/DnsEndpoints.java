package io.portico.core.dns;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.portico.core.config.ConfigException;
import io.portico.core.config.EndpointConfig;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the endpoints written as host names ({@code api.internal:8080}) in step with DNS.
 *
 * <p>{@link #start} resolves every such name once, and fails with a {@link ConfigException}
 * naming the endpoint's key path when one does not resolve at all. Each name then stands for one
 * endpoint per address of its answer, named by its address ({@code 10.0.0.5:8080}). When the
 * answer's time to live runs out (at least {@link #MIN_REFRESH}, at most {@link #MAX_REFRESH})
 * the name is looked up again and its upstream's endpoints follow the answer: addresses that
 * appeared are added, those that disappeared are removed ({@link Upstream#replaceEndpoints}).
 * Requests under way on a removed endpoint finish normally. A lookup that fails, or finds no
 * address, keeps the addresses known so far and is tried again after {@link #RETRY}.
 *
 * <p>Lookups are asynchronous, on an event loop thread of their own ({@code portico-dns}), which
 * exists only when the configuration has host names.
 *
 * <pre>{@code
 * ProxyRuntime runtime = new RuntimeBuilder(registry, file).build(config);
 * DnsEndpoints dns = DnsEndpoints.start(runtime, file);
 * ...
 * dns.close();
 * }</pre>
 */
public final class DnsEndpoints implements AutoCloseable {

    /** The shortest time between two lookups of a name, whatever its answer's time to live. */
    public static final Duration MIN_REFRESH = Duration.ofSeconds(1);
    /** The longest time between two lookups of a name, whatever its answer's time to live. */
    public static final Duration MAX_REFRESH = Duration.ofMinutes(5);
    /** The time before a lookup that failed is tried again. */
    public static final Duration RETRY = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(DnsEndpoints.class);

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final HostResolver resolver;

    private DnsEndpoints(EventLoopGroup group, HostResolver resolver) {
        this.group = group;
        this.loop = group == null ? null : group.next();
        this.resolver = resolver;
    }

    /**
     * Resolves the host names among the endpoints of {@code runtime}'s upstreams, adds their
     * addresses to the upstreams, and keeps them up to date until {@link #close()}. Blocks until
     * the first answers are in; must not be called on an event loop.
     *
     * @param file the configuration file, for errors; may be {@code null}
     * @throws ConfigException when a host name does not resolve
     */
    public static DnsEndpoints start(ProxyRuntime runtime, Path file) {
        List<UpstreamHosts> watched = new ArrayList<>();
        runtime.upstreams().forEach((name, upstream) -> {
            UpstreamHosts hosts = UpstreamHosts.of(name, upstream);
            if (!hosts.names().isEmpty()) {
                watched.add(hosts);
            }
        });
        if (watched.isEmpty()) {
            return new DnsEndpoints(null, null);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("portico-dns", true),
                NioIoHandler.newFactory());
        DnsEndpoints dns = new DnsEndpoints(group, new HostResolver(group.next(), runtime.config().dns()));
        try {
            dns.resolveAll(watched, file);
        } catch (RuntimeException e) {
            dns.close();
            throw e;
        }
        return dns;
    }

    /** Looks every name up at once, waits for the answers, and plans the next lookups. */
    private void resolveAll(List<UpstreamHosts> watched, Path file) {
        Map<HostEntry, Future<HostResolver.Answer>> lookups = new LinkedHashMap<>();
        for (UpstreamHosts hosts : watched) {
            hosts.names().forEach(name -> lookups.put(name, resolver.resolve(name.host())));
        }
        lookups.forEach((name, lookup) -> {
            if (!lookup.awaitUninterruptibly().isSuccess()) {
                throw new ConfigException(file, name.keyPath(),
                        "cannot resolve host '" + name.host() + "': " + lookup.cause().getMessage());
            }
            name.update(lookup.getNow().addresses());
        });
        for (UpstreamHosts hosts : watched) {
            hosts.publish();
            for (HostEntry name : hosts.names()) {
                long ttl = lookups.get(name).getNow().ttlSeconds();
                loop.schedule(() -> refresh(hosts, name), delay(ttl), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Looks {@code name} up again, updates its upstream when the answer changed, and plans the next lookup. */
    private void refresh(UpstreamHosts hosts, HostEntry name) {
        resolver.resolve(name.host()).addListener((Future<HostResolver.Answer> lookup) -> {
            long nextMillis;
            if (lookup.isSuccess()) {
                String before = name.describe();
                if (name.update(lookup.getNow().addresses())) {
                    LOG.info("upstream '{}': {} now resolves to {} (was {})", hosts.name(), name.host(), name.describe(), before);
                    hosts.publish();
                }
                nextMillis = delay(lookup.getNow().ttlSeconds());
            } else {
                LOG.warn("upstream '{}': cannot resolve {} ({}); keeping {}", hosts.name(), name.host(),
                        lookup.cause().getMessage(), name.describe());
                nextMillis = RETRY.toMillis();
            }
            if (!loop.isShuttingDown()) {
                loop.schedule(() -> refresh(hosts, name), nextMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    private static long delay(long ttlSeconds) {
        return Math.clamp(TimeUnit.SECONDS.toMillis(ttlSeconds), MIN_REFRESH.toMillis(), MAX_REFRESH.toMillis());
    }

    /** Stops the lookups. */
    @Override
    public void close() {
        if (group != null) {
            resolver.close();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    /** Whether {@code host} is a host name rather than an IP address. */
    static boolean isHostName(String host) {
        return NetUtil.createInetAddressFromIpAddressString(host) == null;
    }

    /**
     * The endpoints of one upstream in configured order: each entry an endpoint written as an IP
     * address, or a host name standing for its current addresses.
     */
    private record UpstreamHosts(String name, Upstream upstream, List<Entry> entries, List<HostEntry> names) {

        static UpstreamHosts of(String name, Upstream upstream) {
            // The upstream holds the endpoints written as IP addresses, in configured order.
            Iterator<UpstreamEndpoint> literal = upstream.endpoints().iterator();
            List<Entry> entries = new ArrayList<>();
            List<HostEntry> names = new ArrayList<>();
            UpstreamConfig config = upstream.config();
            add(entries, names, literal, config.endpoints(), "upstreams." + name + ".endpoints", false);
            add(entries, names, literal, config.backup(), "upstreams." + name + ".backup", true);
            return new UpstreamHosts(name, upstream, entries, names);
        }

        private static void add(List<Entry> entries, List<HostEntry> names, Iterator<UpstreamEndpoint> literal,
                                List<EndpointConfig> configured, String path, boolean backup) {
            for (int i = 0; i < configured.size(); i++) {
                EndpointConfig ec = configured.get(i);
                if (isHostName(ec.address().host())) {
                    HostEntry entry = new HostEntry(ec, backup, path + "[" + i + "]");
                    entries.add(new Named(entry));
                    names.add(entry);
                } else {
                    entries.add(new Literal(literal.next()));
                }
            }
        }

        /** Gives the upstream its endpoints as they are now. */
        void publish() {
            List<UpstreamEndpoint> endpoints = new ArrayList<>();
            entries.forEach(entry -> endpoints.addAll(entry.endpoints()));
            upstream.replaceEndpoints(endpoints);
        }
    }

    /** An entry of an upstream's configured endpoints. */
    private sealed interface Entry {
        /** The endpoints it stands for now. */
        List<UpstreamEndpoint> endpoints();
    }

    /** An endpoint written as an IP address. */
    private record Literal(UpstreamEndpoint endpoint) implements Entry {
        @Override
        public List<UpstreamEndpoint> endpoints() {
            return List.of(endpoint);
        }
    }

    /** An endpoint written as a host name. */
    private record Named(HostEntry host) implements Entry {
        @Override
        public List<UpstreamEndpoint> endpoints() {
            return host.endpoints();
        }
    }
}
