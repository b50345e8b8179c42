package io.portico.core.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/2 connections to the endpoints of {@code protocol: h2} upstreams, per event loop: each
 * request is a new stream on one of them.
 *
 * <p>A request goes to the first connection of its endpoint (on its event loop) that has room for
 * another stream under the origin's {@code MAX_CONCURRENT_STREAMS}; when every connection is full,
 * or none is open, a new connection is made. Requests that arrive while a connection is being
 * made wait for it instead of opening more. A connection that received {@code GOAWAY} takes no
 * new streams and closes when its last stream ends; one left without streams closes after the
 * upstream's {@code idle-timeout}.
 *
 * <p>Like the HTTP/1.1 pool, the connections of an event loop are only touched by its thread.
 */
final class Http2Origins {

    /** Refuses streams the origin opens: Portico disables server push, so none should come. */
    static final ChannelHandler REFUSE_PUSH = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
            ch.close();
        }
    };

    final OriginConnector connector;
    private final FastThreadLocal<Map<UpstreamEndpoint, List<Http2Origin>>> connections = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamEndpoint, List<Http2Origin>> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    Http2Origins(OriginConnector connector) {
        this.connector = connector;
    }

    /**
     * A new stream to {@code endpoint}, on a connection of {@code loop}.
     *
     * @return completes with the stream channel, which carries {@code HttpObject}s; fails when no
     *     connection to the origin could be made
     */
    Future<Channel> openStream(EventLoop loop, UpstreamEndpoint endpoint, Upstream upstream) {
        Promise<Channel> stream = loop.newPromise();
        dispatch(loop, endpoint, upstream, stream);
        return stream;
    }

    /** Finds {@code stream} a connection with room, or makes a new one. */
    void dispatch(EventLoop loop, UpstreamEndpoint endpoint, Upstream upstream, Promise<Channel> stream) {
        List<Http2Origin> open = connections.get().computeIfAbsent(endpoint, e -> new ArrayList<>(2));
        for (int i = 0; i < open.size(); i++) {
            Http2Origin origin = open.get(i);
            if (origin.tryReserve()) {
                origin.open(stream);
                return;
            }
        }
        Http2Origin origin = new Http2Origin(this, loop, endpoint, upstream);
        open.add(origin);
        origin.tryReserve();
        origin.open(stream);
        origin.connect();
    }

    /** Takes a connection out of use for new streams (it is closing, or the origin sent GOAWAY). */
    void forget(Http2Origin origin) {
        List<Http2Origin> open = connections.get().get(origin.endpoint);
        if (open != null) {
            open.remove(origin);
            if (open.isEmpty()) {
                connections.get().remove(origin.endpoint);
            }
        }
    }
}
