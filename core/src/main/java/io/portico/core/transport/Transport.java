package io.portico.core.transport;

import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portico.core.config.ServerConfig;

/**
 * The I/O transport: native epoll on Linux when it loads, Java NIO otherwise.
 *
 * @param name {@code epoll} or {@code nio}, for the startup log
 * @param ioHandlerFactory makes the event loops' I/O handlers
 * @param serverChannelFactory makes listening sockets
 * @param socketChannelFactory makes client sockets (to upstreams)
 */
public record Transport(
        String name,
        IoHandlerFactory ioHandlerFactory,
        ChannelFactory<? extends ServerChannel> serverChannelFactory,
        ChannelFactory<? extends SocketChannel> socketChannelFactory) {

    /** The transport {@code choice} asks for. */
    public static Transport select(ServerConfig.Transport choice) {
        return switch (choice) {
            case NIO -> nio();
            case EPOLL -> {
                Epoll.ensureAvailability();
                yield epoll();
            }
            case AUTO -> Epoll.isAvailable() ? epoll() : nio();
        };
    }

    private static Transport epoll() {
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel::new, EpollSocketChannel::new);
    }

    private static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel::new, NioSocketChannel::new);
    }

    /** A group of {@code threads} event loops (0: one per core) named {@code portico-<name>}. */
    public MultiThreadIoEventLoopGroup newGroup(int threads, String name) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("portico-" + name), ioHandlerFactory);
    }
}
