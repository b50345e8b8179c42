package io.portico.core.proxy;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.util.ArrayDeque;

/**
 * The client-side HTTP/1.1 codec: a request decoder that refuses ambiguous framing, and a response
 * encoder that knows which responses answer {@code HEAD}.
 *
 * <p>Netty's stock {@code HttpServerCodec} accepts a request carrying both {@code Content-Length}
 * and {@code Transfer-Encoding} by dropping the length. A proxy must not: the origin behind it may
 * frame the same bytes differently, which is how request smuggling works. Here such a request
 * fails to decode and is answered with 400.
 */
final class ServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

    /** Methods of the requests decoded and not yet answered, oldest first. */
    private final ArrayDeque<HttpMethod> pendingMethods = new ArrayDeque<>(4);

    ServerCodec(HttpDecoderConfig config) {
        init(new StrictRequestDecoder(config), new MethodAwareEncoder());
    }

    /** Thrown (inside the decoder) for a request with both Content-Length and Transfer-Encoding. */
    static final class AmbiguousFramingException extends IllegalArgumentException {
        AmbiguousFramingException() {
            super("both Content-Length and Transfer-Encoding present");
        }
    }

    private final class StrictRequestDecoder extends HttpRequestDecoder {
        StrictRequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            throw new AmbiguousFramingException();
        }

        @Override
        protected HttpMessage createMessage(String[] initialLine) throws Exception {
            HttpMessage message = super.createMessage(initialLine);
            pendingMethods.add(((io.netty.handler.codec.http.HttpRequest) message).method());
            return message;
        }
    }

    private final class MethodAwareEncoder extends HttpResponseEncoder {
        private HttpMethod answering;

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() != io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
                answering = pendingMethods.poll();
            }
            return HttpMethod.HEAD.equals(answering) || super.isContentAlwaysEmpty(msg);
        }
    }
}
