package io.portico.core.health;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.portico.core.config.HealthCheckConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Sends one health-check request on a fresh connection and judges the response: its status must
 * be expected and, when {@code expect-body} is set, its body must contain that text. Without
 * {@code expect-body} the verdict comes with the response head and the body is never read.
 */
final class HttpProbeHandler extends SimpleChannelInboundHandler<HttpObject> {

    /** How much of a body is searched for {@code expect-body}; health pages are small. */
    static final int MAX_BODY = 64 * 1024;

    private final HttpRequest request;
    private final HealthCheckConfig config;
    private final Consumer<ProbeOutcome> done;
    private ByteArrayOutputStream body;
    private int status;

    HttpProbeHandler(HttpRequest request, HealthCheckConfig config, Consumer<ProbeOutcome> done) {
        this.request = request;
        this.config = config;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(request).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg.decoderResult().isFailure()) {
            done.accept(new ProbeOutcome(false, "malformed response from " + config.path() + ": "
                    + msg.decoderResult().cause().getMessage()));
            return;
        }
        if (msg instanceof HttpResponse response) {
            status = response.status().code();
            if (!config.statusExpected(status)) {
                done.accept(new ProbeOutcome(false, "HTTP " + status + " from " + config.path()));
            } else if (config.expectBody() == null) {
                done.accept(new ProbeOutcome(true, "HTTP " + status + " from " + config.path()));
            } else {
                body = new ByteArrayOutputStream();
            }
        }
        if (msg instanceof HttpContent content && body != null) {
            int take = Math.min(content.content().readableBytes(), MAX_BODY - body.size());
            body.write(ByteBufUtil.getBytes(content.content(), content.content().readerIndex(), take), 0, take);
            if (msg instanceof LastHttpContent || body.size() >= MAX_BODY) {
                boolean found = body.toString(StandardCharsets.UTF_8).contains(config.expectBody());
                done.accept(new ProbeOutcome(found, "HTTP " + status + " from " + config.path()
                        + (found ? " with '" : " without '") + config.expectBody() + "' in the body"));
                body = null;
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done.accept(new ProbeOutcome(false, "connection closed before a whole response from " + config.path()));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.accept(new ProbeOutcome(false, "probe of " + config.path() + " failed: " + cause));
    }
}
