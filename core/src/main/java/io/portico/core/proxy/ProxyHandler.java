package io.portico.core.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.portico.api.balancer.RequestResult;
import io.portico.api.filter.Filter;
import io.portico.api.http.Response;
import io.portico.core.accesslog.AccessLog;
import io.portico.core.compression.ResponseCompressor;
import io.portico.core.routing.RouteMatch;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.runtime.Route;
import io.portico.core.tls.ConnectionTls;
import io.portico.core.upstream.StickyCookie;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxies the requests of one client connection, one exchange at a time.
 *
 * <p>Messages from the client wait in {@link #inbound} until the current exchange can take them,
 * so pipelined requests are answered in order. An exchange goes through: head received, routed,
 * request filters, endpoint picked, connection from the pool (or new), head and body relayed
 * upstream, response head through the response filters, body relayed to the client, then the
 * upstream connection back to the pool.
 *
 * <p>Everything runs on the connection's event loop; the upstream connection shares it.
 *
 * <p>On HTTP/2 the channel is one stream of the client's connection ({@link Http2Server}): it
 * carries one exchange, and ending it, even early, ends the stream alone, never the connection.
 */
final class ProxyHandler extends ChannelInboundHandlerAdapter implements UpstreamListener, FilterChain.Listener {

    /** Fired at each client connection when the server starts draining. */
    enum Drain { INSTANCE }

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

    /** The most times a request HTTP/2 origins did not process is sent again. */
    private static final int MAX_UNPROCESSED_RESENDS = 5;

    private final HttpProxy proxy;
    private final ListenerPolicy policy;
    /** The channel is an HTTP/2 stream. */
    private final boolean stream;
    private final ArrayDeque<Object> inbound = new ArrayDeque<>(4);
    private final ArrayDeque<HttpContent> heldResponseContent = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private ClientTimeouts timeouts;
    /** Added to the pipeline, just before this handler, by the first response that compresses. */
    private ResponseCompressor compressor;
    private InetSocketAddress client;
    /** The TLS the client connection's handshake settled; read at its first request. */
    private ConnectionTls tls;
    private ProxyExchange ex;
    private boolean closeAfterResponse;
    private boolean upstreamNeedsFlush;
    private boolean clientNeedsFlush;
    /** A response head is going through the filters inside an upstream read, whose end flushes. */
    private boolean inUpstreamRead;

    ProxyHandler(HttpProxy proxy, ListenerPolicy policy, boolean stream) {
        this.proxy = proxy;
        this.policy = policy;
        this.stream = stream;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.timeouts = ctx.pipeline().get(ClientTimeouts.class);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = (InetSocketAddress) ctx.channel().remoteAddress();
        if (!stream) {
            // A stream opens with its request's whole head: no header clock to run.
            timeouts.awaitingRequest();
        }
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inbound.add(msg);
        pump();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (inbound.isEmpty() && wantsInput()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && ex != null && ex.upstream != null && ex.responseStarted && !ex.responseComplete) {
            ex.upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        switch (evt) {
            case ClientTimeouts.Expired.IDLE -> ctx.close();
            case ClientTimeouts.Expired.HEADER -> reject(HttpResponseStatus.REQUEST_TIMEOUT, "request head not received in time");
            case ClientTimeouts.Expired.BODY -> bodyTimedOut();
            case Drain.INSTANCE -> {
                closeAfterResponse = true;
                if (ex == null) {
                    ctx.close();
                }
            }
            default -> ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client connection {} failed", client, cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ProxyExchange e = ex;
        if (e != null) {
            if (!e.responseStarted) {
                e.status = 499;
            }
            abortUpstream(e);
            end(e);
        }
        releaseAll(inbound);
        releaseAll(heldResponseContent);
    }

    // ---- client side: requests in ----

    /** Hands waiting client messages to the current exchange as far as it can take them. */
    private void pump() {
        while (!inbound.isEmpty() && ctx.channel().isActive()) {
            Object msg = inbound.peekFirst();
            if (msg instanceof HttpRequest request) {
                if (ex != null || closeAfterResponse) {
                    break;
                }
                inbound.pollFirst();
                onRequestHead(request);
            } else if (ex == null) {
                // The rest of a request that was answered without its body.
                ReferenceCountUtil.release(inbound.pollFirst());
            } else if (ex.forwarding || ex.holdingRequest) {
                onRequestContent((HttpContent) inbound.pollFirst());
            } else {
                break;
            }
        }
        if (upstreamNeedsFlush && ex != null && ex.upstream != null) {
            upstreamNeedsFlush = false;
            ex.upstream.flush();
        }
        if (inbound.isEmpty() && wantsInput()) {
            ctx.read();
        }
    }

    private boolean wantsInput() {
        if (!ctx.channel().isActive()) {
            return false;
        }
        if (ex == null) {
            return !closeAfterResponse;
        }
        if (ex.holdingRequest) {
            return true;
        }
        if (ex.requestComplete) {
            // Reading on while the response is awaited costs at most one read's worth of pipelined
            // requests in inbound, and spares the epoll transport disarming and re-arming the
            // socket (two epoll_ctl calls) for every request.
            return !closeAfterResponse;
        }
        return ex.forwarding && !ex.requestComplete && ex.upstream != null && ex.upstream.isWritable();
    }

    private void onRequestHead(HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            ReferenceCountUtil.release(request);
            rejectMalformed(result.cause());
            return;
        }
        timeouts.headReceived();
        ProxyRuntime runtime = proxy.runtime();
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !proxy.draining();
        if (policy.secure() && tls == null) {
            tls = ConnectionTls.of(ctx.channel());
        }
        if (policy.clientCertHeaders() != null) {
            // Before routing and filters: what they see of these headers is the certificate, never the client's claim.
            policy.clientCertHeaders().apply(request.headers(), tls);
        }
        ProxyExchange e = new ProxyExchange(new ProxiedRequest(request, client, policy.secure(), tls == null ? null : tls.session()),
                ctx.channel().eventLoop(), keepAlive, stream);
        e.hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        ex = e;
        proxy.inFlightCounter().incrementAndGet();
        if (!e.hasBody) {
            e.requestComplete = true;
            timeouts.requestReceived();
        }

        if (request.protocolVersion().majorVersion() != 1) {
            respondError(e, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1 are supported");
            return;
        }
        int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1 || (hosts == 0 && request.protocolVersion() == HttpVersion.HTTP_1_1)) {
            closeAfterResponse = true;
            respondError(e, HttpResponseStatus.BAD_REQUEST, "a request needs exactly one Host header");
            return;
        }
        if (policy.redirectHttps() && hosts == 1) {
            sendLocal(e, ListenerPolicy.redirectToHttps(request));
            return;
        }
        RouteMatch<Route> match = runtime.router().match(e.request);
        if (match == null) {
            respondError(e, HttpResponseStatus.NOT_FOUND, "no route matches " + e.request.host() + e.request.path());
            return;
        }
        Route route = match.payload();
        e.route = route;
        e.upgrade = !stream && WebSocketUpgrade.requested(request, e.hasBody);
        if (route.compression() != null) {
            // Read now: request filters may change what goes upstream, not what the client accepts.
            e.acceptEncoding = request.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        }
        e.routeName = route.name();
        if (match.rewritesPath()) {
            e.request.path(match.rewrittenPath());
        }
        if (HttpUtil.getContentLength(request, 0L) > route.maxBodySize()) {
            closeAfterResponse = true;
            respondError(e, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body larger than " + route.maxBodySize() + " bytes");
            return;
        }
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (!"100-continue".equalsIgnoreCase(expect.trim())) {
                closeAfterResponse = e.hasBody;
                respondError(e, HttpResponseStatus.EXPECTATION_FAILED, "only 'Expect: 100-continue' is supported");
                return;
            }
            request.headers().remove(HttpHeaderNames.EXPECT);
            e.expectContinue = e.hasBody && request.protocolVersion() == HttpVersion.HTTP_1_1;
        }
        if (route.requestBodyLimit() > 0) {
            holdRequestBody(e, request);
            return;
        }
        FilterChain.runRequest(e, this);
    }

    /**
     * Reads the request body whole before the request filters run, for a filter that asked to see
     * it; the filters run when it is complete ({@link #onRequestContent}).
     */
    private void holdRequestBody(ProxyExchange e, HttpRequest request) {
        long limit = e.route.requestBodyLimit();
        if (HttpUtil.getContentLength(request, 0L) > limit) {
            closeAfterResponse = true;
            respondError(e, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body larger than " + limit + " bytes");
            return;
        }
        if (!e.hasBody) {
            e.requestBodyBytes = new byte[0];
            FilterChain.runRequest(e, this);
            return;
        }
        e.holdingRequest = true;
        e.heldBody = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        if (e.expectContinue) {
            e.expectContinue = false;
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
    }

    private void onRequestContent(HttpContent content) {
        ProxyExchange e = ex;
        if (content.decoderResult().isFailure()) {
            content.release();
            closeAfterResponse = true;
            abortUpstream(e);
            respondError(e, HttpResponseStatus.BAD_REQUEST, "malformed request body");
            return;
        }
        e.bytesIn += content.content().readableBytes();
        if (e.bytesIn > e.route.maxBodySize()) {
            content.release();
            closeAfterResponse = true;
            abortUpstream(e);
            respondError(e, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body larger than " + e.route.maxBodySize() + " bytes");
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (e.holdingRequest) {
            holdRequestContent(e, content, last);
            return;
        }
        if (e.requestComplete) {
            // The empty end of a request without a body: already sent upstream with the head.
            content.release();
            return;
        }
        e.upstream.write(content, e.upstream.voidPromise());
        upstreamNeedsFlush = true;
        if (last) {
            e.requestComplete = true;
            timeouts.requestReceived();
            armResponseTimer(e);
        }
    }

    private void holdRequestContent(ProxyExchange e, HttpContent content, boolean last) {
        if (e.bytesIn > e.route.requestBodyLimit()) {
            content.release();
            closeAfterResponse = true;
            respondError(e, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body larger than " + e.route.requestBodyLimit() + " bytes");
            return;
        }
        e.heldBody.addComponent(true, content.content().retain());
        content.release();
        if (last) {
            e.holdingRequest = false;
            e.requestComplete = true;
            timeouts.requestReceived();
            e.requestBodyBytes = e.takeHeldBody();
            FilterChain.runRequest(e, this);
        }
    }

    private void bodyTimedOut() {
        ProxyExchange e = ex;
        if (e == null) {
            ctx.close();
        } else if (!wantsInput() && e.forwarding && !e.requestComplete) {
            // We are not reading because the upstream is slow to take the body; not the client's fault.
            timeouts.headReceived();
        } else {
            closeAfterResponse = true;
            abortUpstream(e);
            respondError(e, HttpResponseStatus.REQUEST_TIMEOUT, "request body stalled");
        }
    }

    // ---- filters ----

    @Override
    public void requestFiltersDone(ProxyExchange e) {
        Upstream upstream = e.route.upstream();
        upstream.retryBudget().requestStarted(e.startNanos);
        StickyCookie sticky = upstream.stickyCookie();
        if (sticky != null) {
            e.pinned = sticky.pinned(e.request.netty().headers().getAll(HttpHeaderNames.COOKIE));
        }
        UpstreamEndpoint endpoint;
        try {
            endpoint = e.pinned != null && upstream.takesPinned(e.pinned) ? e.pinned : upstream.select(e);
        } catch (RuntimeException failure) {
            LOG.error("balancer of upstream '{}' failed", upstream.name(), failure);
            respondError(e, HttpResponseStatus.INTERNAL_SERVER_ERROR, "balancer failed");
            return;
        }
        if (endpoint == null) {
            FullHttpResponse response = LocalResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "no endpoint available");
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            sendLocal(e, response);
            return;
        }
        e.hostNamesEndpoint = Forwarding.prepareRequest(e.request.netty(), client, policy.secure(), e.route.hostHeader(), endpoint);
        if (e.upgrade) {
            WebSocketUpgrade.forward(e.request.netty().headers());
        }
        send(e, endpoint);
    }

    /** Sends the request to {@code endpoint}, on a pooled connection or a new one. */
    private void send(ProxyExchange e, UpstreamEndpoint endpoint) {
        e.endpoint = endpoint;
        e.attempt++;
        e.unprocessedHere = 0;
        e.upstreamReused = false;
        e.requestSentNanos = System.nanoTime();
        e.route.upstream().requestStarted(endpoint);
        Channel pooled = proxy.connections().pooled(endpoint);
        if (pooled != null) {
            e.upstreamReused = true;
            upstreamReady(e, pooled);
        } else {
            connect(e);
        }
    }

    // ---- retries ----

    /** Sends the request again, to {@code next}; nothing of the failed attempt reached the client. */
    private void retry(ProxyExchange e, UpstreamEndpoint next) {
        LOG.debug("retrying {} {} on {} after {} failed", e.request.method(), e.request.path(), next, e.endpoint);
        e.route.upstream().requestEnded(e.endpoint);
        e.cancelResponseTimer();
        e.forwarding = false;
        if (e.hostNamesEndpoint) {
            e.request.netty().headers().set(HttpHeaderNames.HOST, next.authority());
        }
        send(e, next);
    }

    private void connect(ProxyExchange e) {
        Future<Channel> connecting = proxy.connections().connect(ctx.channel().eventLoop(), e.endpoint, e.route.upstream());
        connecting.addListener((Future<Channel> f) -> {
            if (e.aborted || ex != e) {
                if (f.isSuccess()) {
                    f.getNow().close();
                }
            } else if (f.isSuccess()) {
                upstreamReady(e, f.getNow());
            } else {
                connectFailed(e, f.cause());
            }
        });
    }

    @Override
    public void responseFiltersDone(ProxyExchange e, NettyResponseHead head) {
        if (ex != e) {
            return;
        }
        e.responseFiltering = false;
        if (head.response instanceof FullHttpResponse local) {
            sendLocal(e, local);
            return;
        }
        e.status = head.status();
        e.responseStarted = true;
        if (e.route.compression() != null && !e.http10) {
            compressor().arm(e.route.compression(), e.acceptEncoding, e.request.netty().method().equals(HttpMethod.HEAD));
        }
        byte[] held = e.responseBodyBytes;
        if (held != null) {
            HttpHeaders headers = head.response.headers();
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, held.length);
            ctx.write(head.response, ctx.voidPromise());
            relayResponseContent(e, new DefaultLastHttpContent(Unpooled.wrappedBuffer(held)));
            return;
        }
        ctx.write(head.response, ctx.voidPromise());
        clientNeedsFlush = true;
        while (!heldResponseContent.isEmpty() && ex == e) {
            relayResponseContent(e, heldResponseContent.pollFirst());
        }
        if (ex == e) {
            if (!inUpstreamRead) {
                // Else the end of that read flushes, so a short response leaves in one write.
                ctx.flush();
                clientNeedsFlush = false;
            }
            if (ctx.channel().isWritable()) {
                e.upstream.read();
            }
        }
    }

    @Override
    public void answeredByFilter(ProxyExchange e, Response response, boolean fromResponsePhase) {
        if (ex != e) {
            return;
        }
        e.responseFiltering = false;
        abortUpstream(e);
        FullHttpResponse full = LocalResponses.of(response);
        if (fromResponsePhase || e.filtersPassed == 0) {
            sendLocal(e, full);
        } else {
            e.responseFiltering = true;
            FilterChain.runResponse(e, new NettyResponseHead(full), this);
        }
    }

    @Override
    public void filterFailed(ProxyExchange e, Filter filter, Throwable cause) {
        if (ex != e) {
            return;
        }
        LOG.error("filter {} of route {} failed on {} {}", filter.getClass().getName(), e.routeName,
                e.request.method(), e.request.path(), cause);
        e.responseFiltering = false;
        abortUpstream(e);
        respondError(e, HttpResponseStatus.INTERNAL_SERVER_ERROR, "a filter failed");
    }

    // ---- upstream side ----

    private void upstreamReady(ProxyExchange e, Channel upstream) {
        e.upstream = upstream;
        upstream.pipeline().get(BackendHandler.class).attach(this);
        e.requestSentNanos = System.nanoTime();
        byte[] held = e.requestBodyBytes;
        if (held != null && e.hasBody) {
            HttpHeaders headers = e.request.netty().headers();
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, held.length);
        }
        upstream.write(e.request.netty(), upstream.voidPromise());
        HttpContent resent = e.resentBody;
        if (resent != null) {
            // What an origin did not process of a streamed body; a complete request's ends in its last part.
            e.resentBody = null;
            if (resent.content().isReadable() || resent instanceof LastHttpContent) {
                upstream.write(resent, upstream.voidPromise());
            } else {
                resent.release();
            }
        }
        if (e.requestComplete) {
            if (resent == null) {
                upstream.write(held == null || !e.hasBody ? LastHttpContent.EMPTY_LAST_CONTENT
                        : new DefaultLastHttpContent(Unpooled.wrappedBuffer(held)), upstream.voidPromise());
            }
            armResponseTimer(e);
        }
        upstreamNeedsFlush = true;
        e.forwarding = true;
        if (e.expectContinue) {
            e.expectContinue = false;
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        upstream.read();
        pump();
        if (upstreamNeedsFlush) {
            upstreamNeedsFlush = false;
            upstream.flush();
        }
    }

    private void connectFailed(ProxyExchange e, Throwable cause) {
        if (cause instanceof OriginConnector.TlsHandshakeFailure) {
            LOG.warn("upstream '{}': {}", e.route.upstream().name(), cause.getMessage());
        }
        report(e, RequestResult.Outcome.CONNECT_FAILED, 0);
        // Nothing was sent: any request may go elsewhere, and no origin did any work for it.
        UpstreamEndpoint next = RetryRules.nextEndpoint(e, false);
        if (next != null) {
            retry(e, next);
            return;
        }
        boolean timedOut = cause instanceof io.netty.channel.ConnectTimeoutException;
        if (timedOut) {
            respondError(e, HttpResponseStatus.GATEWAY_TIMEOUT, "upstream " + e.endpoint.id() + " did not accept a connection in time");
        } else if (cause instanceof OriginConnector.TlsHandshakeFailure) {
            respondError(e, HttpResponseStatus.BAD_GATEWAY, "upstream " + e.endpoint.id() + ": " + cause.getMessage());
        } else {
            respondError(e, HttpResponseStatus.BAD_GATEWAY, "upstream " + e.endpoint.id() + " unreachable: " + Causes.reason(cause));
        }
    }

    /**
     * Sends again a request an HTTP/2 origin did not process (so no endpoint failed, and the
     * balancer is told nothing): once more to the same endpoint, on a new stream or connection;
     * then to another endpoint; and, while the origin is only shutting connections down
     * ({@code GOAWAY}) and no other endpoint is left, to the same one again, up to
     * {@link #MAX_UNPROCESSED_RESENDS} times in all.
     *
     * @param sentBody what the failed stream carried of a streamed body ({@code null} when it kept
     *     too much to send again); owned here
     */
    private void resendUnprocessed(ProxyExchange e, HttpContent sentBody, Http2StreamAdapter.UnprocessedRequest why) {
        if (ex != e) {
            // The exchange ended meanwhile: the client left, or its body stalled.
            if (sentBody != null) {
                sentBody.release();
            }
            return;
        }
        if (!e.replayable()) {
            if (sentBody == null) {
                respondError(e, HttpResponseStatus.BAD_GATEWAY, "upstream " + e.endpoint.id() + ": " + why.getMessage()
                        + "; the request body sent was over " + Http2StreamAdapter.RESEND_LIMIT + " bytes, too much to send again");
                return;
            }
            e.resentBody = sentBody;
        } else if (sentBody != null) {
            sentBody.release();
        }
        boolean again = e.unprocessedHere == 0;
        if (!again) {
            UpstreamEndpoint next = RetryRules.nextEndpoint(e, false);
            if (next != null) {
                retry(e, next);
                return;
            }
            again = why.goAway() && e.unprocessedResends < MAX_UNPROCESSED_RESENDS;
        }
        if (again) {
            e.unprocessedHere++;
            e.unprocessedResends++;
            connect(e);
            return;
        }
        e.releaseResentBody();
        respondError(e, HttpResponseStatus.BAD_GATEWAY, "upstream " + e.endpoint.id() + ": " + why.getMessage());
    }

    private void armResponseTimer(ProxyExchange e) {
        long timeoutMillis = e.route.upstream().config().responseTimeout().toMillis();
        e.cancelResponseTimer();
        e.responseTimer = ctx.executor().schedule(() -> {
            e.responseTimer = null;
            if (ex == e && !e.responseStarted && !e.responseFiltering) {
                report(e, RequestResult.Outcome.TIMED_OUT, 0);
                abortUpstream(e);
                respondError(e, HttpResponseStatus.GATEWAY_TIMEOUT,
                        "upstream " + e.endpoint.id() + " sent no response within " + timeoutMillis + "ms");
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onUpstreamMessage(HttpObject message) {
        ProxyExchange e = ex;
        if (e == null || e.upstream == null) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse response) {
            onResponseHead(e, response);
        } else if (e.holdingResponse) {
            holdResponseContent(e, (HttpContent) message);
        } else if (e.responseFiltering) {
            heldResponseContent.add((HttpContent) message);
        } else if (e.responseStarted) {
            relayResponseContent(e, (HttpContent) message);
        } else {
            // The end of an interim (1xx) response, or a body part after a failed head.
            ReferenceCountUtil.release(message);
        }
    }

    private void onResponseHead(ProxyExchange e, HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            ReferenceCountUtil.release(response);
            report(e, RequestResult.Outcome.RESET, 0);
            abortUpstream(e);
            respondError(e, HttpResponseStatus.BAD_GATEWAY, "upstream sent a malformed response");
            return;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            // 100 Continue was answered by Portico already; the only switch proxied is to WebSocket.
            ReferenceCountUtil.release(response);
            if (response.status().code() == 101) {
                if (e.upgrade && !(e.upstream instanceof Http2StreamChannel) && WebSocketUpgrade.accepted(response)) {
                    switchToTunnel(e, response);
                } else {
                    report(e, RequestResult.Outcome.RESPONDED, 101);
                    abortUpstream(e);
                    respondError(e, HttpResponseStatus.BAD_GATEWAY, e.upgrade
                            ? "upstream switched to another protocol than websocket" : "upstream switched protocols unasked");
                }
            }
            return;
        }
        e.cancelResponseTimer();
        int status = response.status().code();
        report(e, RequestResult.Outcome.RESPONDED, status);
        if (status >= 502 && RetryRules.retriesOnStatus(e, status)) {
            UpstreamEndpoint next = RetryRules.nextEndpoint(e, true);
            if (next != null) {
                // This response is dropped unseen; its connection cannot be reused without reading it.
                ReferenceCountUtil.release(response);
                abortUpstream(e);
                retry(e, next);
                return;
            }
        }
        e.responseKeepAlive = HttpUtil.isKeepAlive(response);
        if (Forwarding.prepareResponse(response, e.request.netty().method(), e.clientKeepAlive && !closeAfterResponse, e.http10)) {
            closeAfterResponse = true;
        }
        policy.addHsts(response.headers());
        StickyCookie sticky = e.route.upstream().stickyCookie();
        if (sticky != null && e.endpoint != e.pinned) {
            response.headers().add(HttpHeaderNames.SET_COOKIE, sticky.setCookie(e.endpoint));
        }
        NettyResponseHead head = new NettyResponseHead(response);
        if (e.route.responseBodyLimit() > 0 && mayHaveBody(e, status)) {
            // A filter reads the body: hold it whole; the filters run when it is complete.
            e.holdingResponse = true;
            e.heldResponseHead = head;
            e.heldBody = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            return;
        }
        e.responseFiltering = true;
        runResponseFilters(e, head);
    }

    /**
     * Runs the response filters from within an upstream read: a head they pass at once is then
     * flushed with the body that arrived in the same read, in one write.
     */
    private void runResponseFilters(ProxyExchange e, NettyResponseHead head) {
        inUpstreamRead = true;
        try {
            FilterChain.runResponse(e, head, this);
        } finally {
            inUpstreamRead = false;
        }
    }

    /**
     * The origin accepted a WebSocket: relays its 101 to the client, ends the exchange (its access
     * log line says 101), and turns both connections into a byte {@link Tunnel}.
     */
    private void switchToTunnel(ProxyExchange e, HttpResponse response) {
        e.cancelResponseTimer();
        report(e, RequestResult.Outcome.RESPONDED, 101);
        Channel upstream = e.upstream;
        e.upstream = null;
        upstream.pipeline().get(BackendHandler.class).detach();

        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.add(HttpHeaderNames.VIA, "1.1 portico");
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
                Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE));
        e.status = 101;
        e.responseStarted = true;
        e.responseComplete = true;
        end(e);
        releaseAll(inbound);

        Channel client = ctx.channel();
        proxy.tunnelOpened(client);
        Tunnel.join(client, upstream, e.route.upstream().config().idleTimeout().toMillis());
        ChannelPipeline clientPipeline = client.pipeline();
        clientPipeline.remove(this);
        if (compressor != null) {
            clientPipeline.remove(compressor);
        }
        clientPipeline.remove(ServerCodec.class);
        clientPipeline.remove(ClientTimeouts.class);
        ChannelPipeline upstreamPipeline = upstream.pipeline();
        upstreamPipeline.remove(BackendHandler.class);
        upstreamPipeline.remove(IdleStateHandler.class);
        upstreamPipeline.remove(HttpClientCodec.class);
        Tunnel.start(client, upstream);
    }

    private static boolean mayHaveBody(ProxyExchange e, int status) {
        return status != 204 && status != 304 && !e.request.netty().method().equals(HttpMethod.HEAD);
    }

    private void holdResponseContent(ProxyExchange e, HttpContent content) {
        long limit = e.route.responseBodyLimit();
        if ((long) e.heldBody.readableBytes() + content.content().readableBytes() > limit) {
            content.release();
            e.holdingResponse = false;
            e.releaseHeldBody();
            abortUpstream(e);
            respondError(e, HttpResponseStatus.BAD_GATEWAY,
                    "upstream response body larger than " + limit + " bytes, the most a filter of the route reads");
            return;
        }
        e.heldBody.addComponent(true, content.content().retain());
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (last) {
            e.holdingResponse = false;
            e.responseBodyBytes = e.takeHeldBody();
            e.responseFiltering = true;
            runResponseFilters(e, e.heldResponseHead);
        }
    }

    private ResponseCompressor compressor() {
        if (compressor == null) {
            compressor = new ResponseCompressor();
            ctx.pipeline().addBefore(ctx.name(), null, compressor);
        }
        return compressor;
    }

    private void relayResponseContent(ProxyExchange e, HttpContent content) {
        e.bytesOut += content.content().readableBytes();
        clientNeedsFlush = true;
        if (content instanceof LastHttpContent) {
            e.responseComplete = true;
            finish(e, ctx.write(content, lastWritePromise(e)));
        } else {
            ctx.write(content, ctx.voidPromise());
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        if (clientNeedsFlush) {
            clientNeedsFlush = false;
            ctx.flush();
        }
        ProxyExchange e = ex;
        if (e != null && e.upstream != null && !e.responseComplete && !e.responseFiltering
                && (!e.responseStarted || ctx.channel().isWritable())) {
            e.upstream.read();
        }
    }

    @Override
    public void onUpstreamWritable() {
        pump();
    }

    @Override
    public void onUpstreamIdle() {
        ProxyExchange e = ex;
        if (e != null && e.holdingResponse) {
            e.holdingResponse = false;
            e.releaseHeldBody();
            abortUpstream(e);
            respondError(e, HttpResponseStatus.GATEWAY_TIMEOUT, "upstream " + e.endpoint.id() + " stalled sending its response");
        } else if (e != null && e.responseStarted && !e.responseComplete && ctx.channel().isWritable()) {
            LOG.debug("upstream {} stalled mid-response; closing", e.endpoint);
            abortUpstream(e);
            ctx.close();
        }
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        ProxyExchange e = ex;
        if (e == null || e.upstream == null || e.responseComplete) {
            return;
        }
        Channel closed = e.upstream;
        e.upstream = null;
        if (e.holdingResponse) {
            e.holdingResponse = false;
            e.releaseHeldBody();
            report(e, RequestResult.Outcome.RESET, e.status);
            respondError(e, HttpResponseStatus.BAD_GATEWAY, "upstream " + e.endpoint.id() + " closed the connection mid-response");
            return;
        }
        if (e.responseStarted) {
            // Nothing left to tell the client but that the response is cut short.
            LOG.debug("upstream {} closed mid-response", e.endpoint);
            report(e, RequestResult.Outcome.RESET, e.status);
            ctx.close();
            return;
        }
        if (e.responseFiltering) {
            return;
        }
        e.cancelResponseTimer();
        if (cause instanceof Http2StreamAdapter.UnprocessedRequest unprocessed) {
            e.forwarding = false;
            HttpContent sentBody = closed.pipeline().get(Http2StreamAdapter.class).takeSentBody();
            // Not from within the origin's GOAWAY: its connection must be out of use before a stream is opened again.
            ctx.executor().execute(() -> resendUnprocessed(e, sentBody, unprocessed));
            return;
        }
        if (e.upstreamReused && !e.retriedStale && e.replayable()) {
            // A pooled connection the origin had closed just as we took it: send again once.
            e.retriedStale = true;
            e.upstreamReused = false;
            e.forwarding = false;
            connect(e);
            return;
        }
        if (Causes.causedBy(cause, javax.net.ssl.SSLException.class)) {
            // Such as an origin refusing Portico's client certificate, which TLS 1.3 tells after the handshake.
            LOG.warn("upstream '{}': TLS with {} failed: {}", e.route.upstream().name(), e.endpoint.id(), Causes.reason(cause));
        }
        report(e, RequestResult.Outcome.RESET, 0);
        UpstreamEndpoint next = RetryRules.resendable(e) ? RetryRules.nextEndpoint(e, true) : null;
        if (next != null) {
            retry(e, next);
            return;
        }
        if (!e.requestComplete) {
            closeAfterResponse = true;
        }
        respondError(e, HttpResponseStatus.BAD_GATEWAY,
                "upstream " + e.endpoint.id() + " closed the connection before responding" + (cause == null ? "" : ": " + Causes.reason(cause)));
    }

    // ---- ending exchanges ----

    private void respondError(ProxyExchange e, HttpResponseStatus status, String why) {
        sendLocal(e, LocalResponses.error(status, why));
    }

    /** Sends a response made here (not relayed), and ends the exchange. */
    private void sendLocal(ProxyExchange e, FullHttpResponse response) {
        if (ex != e) {
            response.release();
            return;
        }
        if (e.responseStarted) {
            response.release();
            abortUpstream(e);
            ctx.close();
            return;
        }
        abortUpstream(e);
        if (e.hasBody && !e.requestComplete) {
            closeAfterResponse = true;
        }
        if (e.http10) {
            response.setProtocolVersion(HttpVersion.HTTP_1_0);
        }
        Forwarding.setConnection(response.headers(), e.clientKeepAlive && !closeAfterResponse, e.http10);
        policy.addHsts(response.headers());
        e.status = response.status().code();
        e.bytesOut = response.content().readableBytes();
        e.responseStarted = true;
        e.responseComplete = true;
        finish(e, ctx.write(response, lastWritePromise(e)));
    }

    /**
     * The promise of a response's last write: a real one only where {@link #finish} must act once
     * the response is out, a void one (no allocation) otherwise.
     */
    private ChannelPromise lastWritePromise(ProxyExchange e) {
        return stream && e.hasBody && !e.requestComplete ? ctx.newPromise() : ctx.voidPromise();
    }

    /**
     * Ends an exchange whose response was written whole.
     *
     * @param written the last write of the response (see {@link #lastWritePromise})
     */
    private void finish(ProxyExchange e, ChannelFuture written) {
        Channel upstream = e.upstream;
        if (upstream != null) {
            e.upstream = null;
            if (e.responseKeepAlive && e.requestComplete) {
                proxy.connections().release(upstream, e.endpoint, e.route.upstream().config().maxIdlePerEndpoint());
            } else {
                upstream.pipeline().get(BackendHandler.class).detach();
                upstream.close();
            }
        }
        if (stream) {
            finishStream(e, written);
            return;
        }
        boolean close = closeAfterResponse || !e.clientKeepAlive || proxy.draining() || (e.hasBody && !e.requestComplete);
        end(e);
        clientNeedsFlush = false;
        if (close) {
            closeAfterResponse = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.flush();
            timeouts.awaitingRequest();
            pump();
        }
    }

    /**
     * Ends the exchange of an HTTP/2 stream: the response's END_STREAM closes the stream once the
     * request has ended too. A request whose body the response did not wait for is told to stop
     * ({@code RST_STREAM} with {@code NO_ERROR}, RFC 9113 section 8.1) once the response is out:
     * resetting sooner would drop response DATA still waiting for the client's flow-control window.
     */
    private void finishStream(ProxyExchange e, ChannelFuture written) {
        boolean requestUnfinished = e.hasBody && !e.requestComplete;
        end(e);
        clientNeedsFlush = false;
        ctx.flush();
        if (requestUnfinished) {
            closeAfterResponse = true;
            written.addListener((ChannelFutureListener) f -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR)));
        }
    }

    /** Forgets the exchange: counters, timers, access log. */
    private void end(ProxyExchange e) {
        e.aborted = !e.responseComplete;
        e.releaseHeldBody();
        e.releaseResentBody();
        e.cancelResponseTimer();
        if (e.endpoint != null) {
            e.route.upstream().requestEnded(e.endpoint);
        }
        ex = null;
        proxy.inFlightCounter().decrementAndGet();
        releaseAll(heldResponseContent);
        AccessLog log = proxy.accessLog();
        if (log.enabled()) {
            log.log(new AccessLog.Entry(e.startMillis, client.getAddress().getHostAddress() + ":" + client.getPort(),
                    e.request.method(), e.request.uri(), e.protocol, e.status, e.bytesIn, e.bytesOut,
                    e.endpoint == null ? null : e.endpoint.id(), e.routeName, System.nanoTime() - e.startNanos));
        }
    }

    /** Closes the exchange's upstream connection: after a failure it cannot be reused. */
    private void abortUpstream(ProxyExchange e) {
        Channel upstream = e.upstream;
        if (upstream != null) {
            e.upstream = null;
            upstream.pipeline().get(BackendHandler.class).detach();
            upstream.close();
        }
        e.cancelResponseTimer();
    }

    private void report(ProxyExchange e, RequestResult.Outcome outcome, int status) {
        try {
            e.route.upstream().report(e.endpoint,
                    new RequestResult(outcome, status, System.nanoTime() - e.requestSentNanos));
        } catch (RuntimeException failure) {
            LOG.warn("balancer of upstream '{}' failed to take a result", e.route.upstream().name(), failure);
        }
    }

    /** Answers a request that could not be decoded, and closes the connection. */
    private void rejectMalformed(Throwable cause) {
        HttpResponseStatus status = switch (cause) {
            case io.netty.handler.codec.http.TooLongHttpLineException t -> HttpResponseStatus.REQUEST_URI_TOO_LONG;
            case io.netty.handler.codec.http.TooLongHttpHeaderException t -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
        String why = switch (cause) {
            case ServerCodec.AmbiguousFramingException a -> "both Content-Length and Transfer-Encoding";
            case io.netty.handler.codec.http.TooLongHttpLineException t -> "request line too long";
            case io.netty.handler.codec.http.TooLongHttpHeaderException t -> "request headers too large";
            default -> "malformed request: " + Causes.reason(cause);
        };
        reject(status, why);
    }

    /** Answers outside any exchange (the request could not be read) and closes. */
    private void reject(HttpResponseStatus status, String why) {
        closeAfterResponse = true;
        if (ex != null) {
            abortUpstream(ex);
            respondError(ex, status, why);
            return;
        }
        FullHttpResponse response = LocalResponses.error(status, why);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        AccessLog log = proxy.accessLog();
        if (log.enabled()) {
            log.log(new AccessLog.Entry(System.currentTimeMillis(), client.getAddress().getHostAddress() + ":" + client.getPort(),
                    "-", "-", "-", status.code(), 0, response.content().readableBytes(), null, null, 0));
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static void releaseAll(ArrayDeque<?> queue) {
        Object msg;
        while ((msg = queue.pollFirst()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
