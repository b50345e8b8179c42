package io.portico.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Recognises WebSocket upgrades (RFC 6455 section 4): the one protocol switch Portico proxies.
 * Other {@code Upgrade} requests are forwarded as plain requests, their {@code Upgrade} removed
 * like any hop-by-hop header.
 */
final class WebSocketUpgrade {

    private WebSocketUpgrade() {
    }

    /**
     * Whether {@code request} opens a WebSocket: a bodiless HTTP/1.1 GET with
     * {@code Upgrade: websocket}, {@code Connection: upgrade}, a {@code Sec-WebSocket-Key} and a
     * {@code Sec-WebSocket-Version}.
     */
    static boolean requested(HttpRequest request, boolean hasBody) {
        HttpHeaders headers = request.headers();
        return !hasBody
                && request.method().equals(HttpMethod.GET)
                && request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && hasToken(headers, HttpHeaderNames.UPGRADE, "websocket")
                && hasToken(headers, HttpHeaderNames.CONNECTION, "upgrade")
                && headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)
                && headers.contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    }

    /** Puts back the upgrade headers that the hop-by-hop rules removed from a request going upstream. */
    static void forward(HttpHeaders upstreamHeaders) {
        upstreamHeaders.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        upstreamHeaders.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }

    /** Whether an origin's 101 accepts the WebSocket upgrade. */
    static boolean accepted(HttpResponse response) {
        return hasToken(response.headers(), HttpHeaderNames.UPGRADE, "websocket");
    }

    private static boolean hasToken(HttpHeaders headers, CharSequence name, String token) {
        for (String value : headers.getAll(name)) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
