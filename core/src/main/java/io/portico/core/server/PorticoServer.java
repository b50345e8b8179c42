package io.portico.core.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.portico.core.admin.AdminServer;
import io.portico.core.config.ListenerConfig;
import io.portico.core.config.PorticoConfig;
import io.portico.core.health.HealthChecks;
import io.portico.core.transport.Transport;
import io.portico.core.proxy.HttpProxy;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.tcp.TcpProxy;
import io.portico.core.tls.ListenerTls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Portico: event loops, listening sockets and the proxy behind them, the active health
 * checks of its upstreams and, when configured, the admin listener.
 *
 * <pre>{@code
 * PorticoServer server = PorticoServer.start(runtime);
 * int port = server.ports().getFirst();
 * ...
 * server.shutdown(Duration.ofSeconds(30));
 * }</pre>
 */
public final class PorticoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PorticoServer.class);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final HttpProxy proxy;
    private final TcpProxy tcp;
    private final List<Channel> listeners;
    private final HealthChecks healthChecks;
    private final AdminServer admin;
    private final List<ListenerTls> tls;
    private final ScheduledExecutorService tlsReloader;

    private PorticoServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, HttpProxy proxy, TcpProxy tcp,
                          List<Channel> listeners, HealthChecks healthChecks, AdminServer admin, List<ListenerTls> tls,
                          ScheduledExecutorService tlsReloader) {
        this.tls = tls;
        this.tlsReloader = tlsReloader;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.proxy = proxy;
        this.tcp = tcp;
        this.listeners = listeners;
        this.healthChecks = healthChecks;
        this.admin = admin;
    }

    /**
     * Binds every listener of the runtime's configuration and starts serving.
     *
     * @throws IllegalStateException naming the address when a listener cannot bind
     */
    public static PorticoServer start(ProxyRuntime runtime) {
        return start(runtime, null);
    }

    /**
     * Binds every listener of the runtime's configuration and starts serving.
     *
     * @param file the configuration file, against whose directory certificate files resolve; may
     *     be {@code null} (then the working directory)
     * @throws io.portico.core.config.ConfigException when a TLS listener's certificates cannot be loaded
     * @throws IllegalStateException naming the address when a listener cannot bind
     */
    public static PorticoServer start(ProxyRuntime runtime, Path file) {
        PorticoConfig config = runtime.config();
        Path base = file == null ? Path.of("").toAbsolutePath() : file.toAbsolutePath().getParent();
        Transport transport = Transport.select(config.server().transport());
        EventLoopGroup boss = transport.newGroup(1, "accept");
        MultiThreadIoEventLoopGroup workers = transport.newGroup(config.server().eventLoops(), "io");
        HttpProxy proxy = new HttpProxy(runtime, transport);
        TcpProxy tcp = new TcpProxy(runtime, transport);
        List<Channel> bound = new ArrayList<>();
        List<ListenerTls> tls = new ArrayList<>();
        ScheduledExecutorService tlsReloader = config.listen().stream().anyMatch(l -> l.tls() != null)
                ? Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("portico-tls-reload").daemon().factory())
                : null;
        AdminServer admin = null;
        HealthChecks healthChecks;
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channelFactory(transport.serverChannelFactory())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
            for (int i = 0; i < config.listen().size(); i++) {
                ListenerConfig listener = config.listen().get(i);
                InetSocketAddress address = new InetSocketAddress(listener.address().host(), listener.address().port());
                ListenerTls listenerTls = null;
                if (listener.tls() != null) {
                    listenerTls = ListenerTls.start(listener.tls(), base, file, "listen[" + i + "].tls", tlsReloader,
                            config.server().http2().enabled());
                    tls.add(listenerTls);
                    LOG.info("TLS on {} with the {} provider", listener.address(), listenerTls.provider());
                }
                ServerBootstrap accepting = listener.mode() == ListenerConfig.Mode.TCP
                        ? bootstrap.clone().childHandler(tcp.initializer(listener))
                        : bootstrap.clone().childHandler(proxy.initializer(listener, listenerTls));
                try {
                    bound.add(accepting.bind(address).sync().channel());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot listen on " + listener.address() + ": " + e.getMessage(), e);
                }
            }
            if (config.admin() != null) {
                admin = AdminServer.start(config.admin(), boss, workers, transport, proxy::runtime);
            }
            healthChecks = HealthChecks.start(runtime.upstreams().values(), workers, transport);
        } catch (RuntimeException e) {
            bound.forEach(Channel::close);
            tls.forEach(ListenerTls::close);
            if (tlsReloader != null) {
                tlsReloader.shutdownNow();
            }
            if (admin != null) {
                admin.close();
            }
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        PorticoServer server = new PorticoServer(boss, workers, proxy, tcp, List.copyOf(bound), healthChecks, admin,
                List.copyOf(tls), tlsReloader);
        LOG.info("Portico listening on {} ({} transport, {} event loops)", server.addresses(), transport.name(),
                workers.executorCount());
        return server;
    }

    /** The bound addresses, in configured order. */
    public List<InetSocketAddress> addresses() {
        return listeners.stream().map(ch -> (InetSocketAddress) ch.localAddress()).toList();
    }

    /** The bound ports, in configured order (useful when the configuration asked for port 0). */
    public List<Integer> ports() {
        return addresses().stream().map(InetSocketAddress::getPort).toList();
    }

    /** The admin listener's address, when there is one. */
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminServer::address);
    }

    /** The proxy, for swapping in a new runtime. */
    public HttpProxy proxy() {
        return proxy;
    }

    /**
     * Stops gracefully: stops accepting, lets requests in flight (and connections of TCP
     * listeners, and WebSockets) finish for up to {@code deadline}, then closes every connection
     * and stops the event loops.
     *
     * @return whether every request, TCP connection and WebSocket finished before the deadline
     */
    public boolean shutdown(Duration deadline) {
        healthChecks.close();
        if (admin != null) {
            admin.close();
        }
        listeners.forEach(ch -> ch.close().syncUninterruptibly());
        proxy.drain();
        long end = System.nanoTime() + deadline.toNanos();
        boolean finished;
        while (!(finished = proxy.inFlight() == 0 && proxy.openTunnels() == 0 && tcp.open() == 0) && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!finished) {
            LOG.warn("shutdown deadline of {} passed with {} requests in flight, {} websockets and {} tcp connections; closing them",
                    deadline, proxy.inFlight(), proxy.openTunnels(), tcp.open());
        }
        proxy.closeAll();
        tcp.closeAll();
        if (tlsReloader != null) {
            tlsReloader.shutdownNow();
        }
        tls.forEach(ListenerTls::close);
        bossGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        return finished;
    }

    /** Shuts down at once: {@link #shutdown} with no deadline. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
