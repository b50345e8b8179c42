package io.portico.core.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.portico.core.config.AdminConfig;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: a small HTTP server, apart from the proxy's listeners and routes, that
 * reports the health of every upstream's endpoints at {@code GET /status}. It runs on the
 * server's event loops and is meant for a loopback or private address only: it has no
 * authentication.
 *
 * <pre>{@code
 * $ curl -s 127.0.0.1:9901/status
 * {"upstreams": {"api": {"balancer": "round-robin", "endpoints": [
 *     {"address": "10.0.0.11:8080", "backup": false, "state": "healthy", ...}]}}}
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_REQUEST = 16 * 1024;
    private static final int READ_TIMEOUT_SECONDS = 30;

    private final Channel listener;

    private AdminServer(Channel listener) {
        this.listener = listener;
    }

    /**
     * Binds the admin listener.
     *
     * @param runtime the runtime whose upstreams are reported, read at each request
     * @throws IllegalStateException naming the address when it cannot bind
     */
    public static AdminServer start(AdminConfig config, EventLoopGroup boss, EventLoopGroup workers, Transport transport,
            Supplier<ProxyRuntime> runtime) {
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channelFactory(transport.serverChannelFactory())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                new ReadTimeoutHandler(READ_TIMEOUT_SECONDS),
                                new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_REQUEST),
                                new AdminHandler(runtime, json));
                    }
                });
        InetSocketAddress address = new InetSocketAddress(config.address().host(), config.address().port());
        try {
            Channel channel = bootstrap.bind(address).sync().channel();
            LOG.info("admin listening on {}", channel.localAddress());
            return new AdminServer(channel);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on admin address " + config.address() + ": " + e.getMessage(), e);
        }
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }
}
