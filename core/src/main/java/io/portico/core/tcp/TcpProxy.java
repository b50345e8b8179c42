package io.portico.core.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portico.core.accesslog.AccessLog;
import io.portico.core.config.ListenerConfig;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.transport.Transport;
import io.portico.core.upstream.Upstream;
import java.util.concurrent.TimeUnit;

/**
 * The layer-4 proxy behind {@code mode: tcp} listeners: the bytes of each accepted connection are
 * relayed, unchanged and in both directions, to an endpoint of the listener's upstream.
 *
 * <p>For each connection the upstream's balancer picks an endpoint (it sees the client's address
 * and no request, so a hashing balancer hashes on the client address). The connection to it is
 * opened on the client's event loop, within the upstream's {@code connect-timeout}; when it cannot
 * be made, up to {@code retries.attempts} other endpoints are tried, then the client's connection
 * is closed. Each connection counts as one request of its endpoint while it lasts, and is reported
 * to the balancer once connected ({@code RESPONDED}, status 0, the connect time as latency) or
 * when it could not be ({@code CONNECT_FAILED}).
 *
 * <p>Both sides are read only while the other side can take more ({@code autoRead} off, write
 * watermarks of 32/64 KiB), so memory stays bounded whatever the sizes and speeds. When one side
 * shuts its output (a TCP half-close), the other side's output is shut once what was read before
 * has been written; when both sides have shut, or either closes, both are closed. A connection
 * with no byte in either direction for the listener's {@code idle-timeout} is closed.
 *
 * <p>Each connection writes one access-log line when it closes (see {@link AccessLog}).
 */
public final class TcpProxy {

    private final ProxyRuntime runtime;
    private final Transport transport;
    private final AccessLog accessLog;
    private final ChannelGroup connections = new DefaultChannelGroup("portico-tcp", GlobalEventExecutor.INSTANCE);

    /**
     * @param runtime the compiled configuration, whose upstreams the listeners name
     * @param transport the transport, for connections to upstreams
     */
    public TcpProxy(ProxyRuntime runtime, Transport transport) {
        this.runtime = runtime;
        this.transport = transport;
        this.accessLog = new AccessLog(runtime.config().accessLog().enabled());
    }

    /**
     * The initializer of each connection accepted by {@code listener}, a {@code tcp} listener. The
     * accepted channels must have {@code autoRead} off.
     *
     * @throws IllegalArgumentException when the listener's upstream is not in the runtime
     */
    public ChannelInitializer<Channel> initializer(ListenerConfig listener) {
        Upstream upstream = runtime.upstreams().get(listener.upstream());
        if (upstream == null) {
            throw new IllegalArgumentException("no upstream '" + listener.upstream() + "' for the tcp listener on "
                    + listener.address());
        }
        long idleMillis = listener.idleTimeout().toMillis();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                connections.add(ch);
                ch.pipeline().addLast(
                        new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                        new TcpRelay(upstream, transport, accessLog).clientHandler());
            }
        };
    }

    /** The client connections open now. */
    public int open() {
        return connections.size();
    }

    /** Closes every connection, with its upstream connection. */
    public void closeAll() {
        connections.close();
    }
}
