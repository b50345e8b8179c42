package io.portico.core.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.portico.api.http.Response;
import java.nio.charset.StandardCharsets;

/** The responses Portico answers with itself: its errors, and the answers of filters. */
final class LocalResponses {

    private LocalResponses() {
    }

    /** A plain-text error: {@code 502 Bad Gateway: <why>}. */
    static FullHttpResponse error(HttpResponseStatus status, String why) {
        byte[] body = (status.code() + " " + status.reasonPhrase() + ": " + why + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    /** A filter's answer as a Netty response, with its length. */
    static FullHttpResponse of(Response response) {
        byte[] body = new byte[response.bodyLength()];
        response.copyBodyTo(body, 0);
        FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(body));
        for (var header : response.headers()) {
            full.headers().add(header.getKey(), header.getValue());
        }
        full.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return full;
    }
}
