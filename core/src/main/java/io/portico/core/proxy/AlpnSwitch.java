package io.portico.core.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a TLS listener that offers HTTP/2, waits for the handshake and switches the connection to
 * HTTP/2 when the client chose {@code h2} through ALPN; a client that chose {@code http/1.1}, or
 * sent no ALPN, keeps the HTTP/1.1 pipeline. It then leaves the pipeline.
 */
final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AlpnSwitch.class);

    private final Http2Server http2;

    AlpnSwitch(Http2Server http2) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.http2 = http2;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            http2.takeOver(ctx);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        // Scanners and clients that distrust the certificate fail handshakes all day: not worth a warning.
        LOG.debug("TLS handshake with {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client connection {} failed before its protocol was settled", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
