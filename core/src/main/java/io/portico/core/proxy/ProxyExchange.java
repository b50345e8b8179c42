package io.portico.core.proxy;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.portico.api.balancer.SelectionContext;
import io.portico.api.filter.AttributeKey;
import io.portico.api.filter.Exchange;
import io.portico.api.filter.Filter;
import io.portico.api.http.RequestHead;
import io.portico.core.runtime.Route;
import io.portico.core.upstream.UpstreamEndpoint;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The state of one request and its response while it is proxied. Confined to the event loop of
 * its client connection.
 */
final class ProxyExchange implements Exchange, SelectionContext {

    final ProxiedRequest request;
    final Executor executor;
    final long startNanos = System.nanoTime();
    final long startMillis = System.currentTimeMillis();
    final boolean clientKeepAlive;
    final String protocol;
    /** The client speaks HTTP/1.0: no chunked coding towards it. */
    final boolean http10;

    Route route;
    String routeName = "-";
    String rewrittenPath;
    private Map<String, Object> attributes;

    /** Filters whose {@code onRequest} let the request proceed; their {@code onResponse} will run. */
    int filtersPassed;
    boolean expectContinue;
    /** Whether the request opens a WebSocket, to be tunnelled once the origin switches protocols. */
    boolean upgrade;
    /** The client's {@code Accept-Encoding}, kept for routes that compress. */
    String acceptEncoding;
    /** The request announced a body (a length above zero, or chunked). */
    boolean hasBody;
    /** Endpoints tried so far, the current one included. */
    int attempt;
    /** The endpoints that failed this request, once it is retried; {@code null} before. */
    List<UpstreamEndpoint> tried;
    /** The endpoint the request's affinity cookie names, if any. */
    UpstreamEndpoint pinned;
    /** The {@code Host} sent upstream is the endpoint's address: a retry elsewhere changes it. */
    boolean hostNamesEndpoint;
    /** A reused pooled connection turned out dead and the request was sent again on a new one. */
    boolean retriedStale;
    /** Times an HTTP/2 origin did not process the request: on the current endpoint, and in all. */
    int unprocessedHere;
    int unprocessedResends;
    /** What an origin did not process of a streamed request body, to be sent with the request again. */
    HttpContent resentBody;

    UpstreamEndpoint endpoint;
    Channel upstream;
    boolean upstreamReused;
    long requestSentNanos;
    ScheduledFuture<?> responseTimer;

    /** The request's whole body has been received from the client. */
    boolean requestComplete;
    /** The request's head was written upstream: from now on, body chunks go there. */
    boolean forwarding;
    /** The response head was written to the client. */
    boolean responseStarted;
    /** Response filters are running; body parts that arrive meanwhile wait in the handler. */
    boolean responseFiltering;
    boolean responseComplete;
    boolean responseKeepAlive;
    /** The exchange ended early (client gone, upstream failure); late callbacks must do nothing. */
    boolean aborted;

    /** The body being read whole for filters that asked for it (request, then response). */
    CompositeByteBuf heldBody;
    /** The request body is being read whole before the request filters run. */
    boolean holdingRequest;
    /** The response body is being read whole before the response filters run. */
    boolean holdingResponse;
    /** The response head waiting for its held body. */
    NettyResponseHead heldResponseHead;
    byte[] requestBodyBytes;
    byte[] responseBodyBytes;

    int status;
    long bytesIn;
    long bytesOut;

    /**
     * @param http2 the request came on an HTTP/2 stream (Netty presents it as HTTP/1.1)
     */
    ProxyExchange(ProxiedRequest request, Executor executor, boolean clientKeepAlive, boolean http2) {
        this.request = request;
        this.executor = executor;
        this.clientKeepAlive = clientKeepAlive;
        this.protocol = http2 ? "HTTP/2.0" : request.netty().protocolVersion().text();
        this.http10 = request.netty().protocolVersion() == io.netty.handler.codec.http.HttpVersion.HTTP_1_0;
    }

    List<Filter> filters() {
        return route == null ? List.of() : route.filters();
    }

    @Override
    public RequestHead request() {
        return request;
    }

    @Override
    public String routeName() {
        return routeName;
    }

    @Override
    public <T> T attribute(AttributeKey<T> key) {
        return attributes == null ? null : key.type().cast(attributes.get(key.name()));
    }

    @Override
    public <T> void attribute(AttributeKey<T> key, T value) {
        if (value == null) {
            if (attributes != null) {
                attributes.remove(key.name());
            }
            return;
        }
        if (attributes == null) {
            attributes = new HashMap<>(8);
        }
        attributes.put(key.name(), key.type().cast(value));
    }

    @Override
    public Object attribute(String name) {
        return attributes == null ? null : attributes.get(name);
    }

    @Override
    public InetSocketAddress clientAddress() {
        return request.clientAddress();
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    void cancelResponseTimer() {
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
    }

    @Override
    public byte[] requestBody() {
        return requestBodyBytes;
    }

    @Override
    public void requestBody(byte[] body) {
        if (requestBodyBytes == null) {
            throw new IllegalStateException("no filter of route " + routeName + " asked for the request body");
        }
        requestBodyBytes = java.util.Objects.requireNonNull(body, "body");
    }

    @Override
    public byte[] responseBody() {
        return responseBodyBytes;
    }

    @Override
    public void responseBody(byte[] body) {
        if (responseBodyBytes == null) {
            throw new IllegalStateException("no filter of route " + routeName + " asked for the response body");
        }
        responseBodyBytes = java.util.Objects.requireNonNull(body, "body");
    }

    /** Whether the request can be sent again: it has no body, or its body is held whole. */
    boolean replayable() {
        return !hasBody || requestBodyBytes != null;
    }

    /** Ends reading a body whole: its bytes, with the buffer released. */
    byte[] takeHeldBody() {
        byte[] bytes = io.netty.buffer.ByteBufUtil.getBytes(heldBody);
        releaseHeldBody();
        return bytes;
    }

    void releaseResentBody() {
        if (resentBody != null) {
            resentBody.release();
            resentBody = null;
        }
    }

    void releaseHeldBody() {
        if (heldBody != null) {
            heldBody.release();
            heldBody = null;
        }
    }
}
