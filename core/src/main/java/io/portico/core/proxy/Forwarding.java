package io.portico.core.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.portico.core.runtime.Route;
import io.portico.core.upstream.UpstreamEndpoint;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The header rules of a proxy hop (RFC 9110 section 7.6): connection-scoped headers are removed
 * in both directions, and the request learns where it came from ({@code X-Forwarded-*},
 * {@code Forwarded}, {@code Via}).
 */
final class Forwarding {

    private static final AsciiString VIA_VALUE_11 = AsciiString.cached("1.1 portico");
    private static final AsciiString VIA_VALUE_10 = AsciiString.cached("1.0 portico");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString TRAILERS = AsciiString.cached("trailers");

    /** Headers that describe one connection, not the message (besides those Connection names). */
    private static final List<AsciiString> HOP_BY_HOP = List.of(
            HttpHeaderNames.CONNECTION, KEEP_ALIVE, PROXY_CONNECTION, HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION);

    private Forwarding() {
    }

    /**
     * Turns the client's request into the upstream's: HTTP/1.1 with keep-alive, hop-by-hop
     * headers removed, forwarding headers added, {@code Host} as the route wants.
     * {@code Transfer-Encoding} and {@code Content-Length} stay: they frame the body being relayed.
     *
     * @return whether {@code Host} now names the endpoint (then a retry elsewhere must change it)
     */
    static boolean prepareRequest(HttpRequest request, InetSocketAddress client, boolean secure,
                               Route.HostHeader hostHeader, UpstreamEndpoint endpoint) {
        HttpHeaders headers = request.headers();
        HttpVersion clientVersion = request.protocolVersion();
        // TE is hop-by-hop, but "trailers" in it tells the origin that the client reads trailers:
        // gRPC servers require it, so it goes on, as Envoy and nginx's grpc_pass send it.
        boolean acceptsTrailers = headers.containsValue(HttpHeaderNames.TE, TRAILERS, true);
        removeHopByHop(headers);
        if (acceptsTrailers) {
            headers.set(HttpHeaderNames.TE, TRAILERS);
        }
        String proto = secure ? "https" : "http";
        String clientIp = client.getAddress().getHostAddress();
        String host = headers.get(HttpHeaderNames.HOST);

        String xff = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, xff == null || xff.isBlank() ? clientIp : xff + ", " + clientIp);
        headers.set(X_FORWARDED_PROTO, proto);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
        headers.add(FORWARDED, forwardedElement(client, clientIp, proto, host));
        headers.add(HttpHeaderNames.VIA, clientVersion == HttpVersion.HTTP_1_0 ? VIA_VALUE_10 : VIA_VALUE_11);

        boolean namesEndpoint = hostHeader.endpoint() || (hostHeader.literal() == null && host == null);
        if (namesEndpoint) {
            headers.set(HttpHeaderNames.HOST, endpoint.authority());
        } else if (hostHeader.literal() != null) {
            headers.set(HttpHeaderNames.HOST, hostHeader.literal());
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        return namesEndpoint;
    }

    /**
     * Turns the upstream's response into the client's: hop-by-hop headers removed, {@code Via}
     * added, the body framed so that the client can find its end, and the connection header the
     * client needs.
     *
     * <p>A body the origin ends by closing its connection (no length, not chunked) is chunked for
     * an HTTP/1.1 client, whose connection can then be kept; an HTTP/1.0 client has no chunked
     * coding, so such a body, and a chunked one, reaches it raw and ends with its connection.
     *
     * @param requestMethod the method of the request answered ({@code HEAD} gets no body)
     * @return whether the client connection must close after this response
     */
    static boolean prepareResponse(HttpResponse response, HttpMethod requestMethod, boolean clientKeepAlive,
                                   boolean http10Client) {
        HttpHeaders headers = response.headers();
        boolean chunked = headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true);
        boolean delimitedByClose = !chunked && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                && !bodiless(response, requestMethod);
        removeHopByHop(headers);
        headers.add(HttpHeaderNames.VIA, VIA_VALUE_11);
        boolean mustClose = !clientKeepAlive;
        if (http10Client) {
            if (chunked || delimitedByClose) {
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                mustClose = true;
            }
            response.setProtocolVersion(HttpVersion.HTTP_1_0);
        } else if (delimitedByClose) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        setConnection(headers, !mustClose, http10Client);
        return mustClose;
    }

    private static boolean bodiless(HttpResponse response, HttpMethod requestMethod) {
        int status = response.status().code();
        return HttpMethod.HEAD.equals(requestMethod) || status == 204 || status == 304;
    }

    /** Sets the {@code Connection} header of a response to a client. */
    static void setConnection(HttpHeaders headers, boolean keepAlive, boolean http10Client) {
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            headers.remove(HttpHeaderNames.CONNECTION);
        }
    }

    private static void removeHopByHop(HttpHeaders headers) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !isFraming(name)) {
                    headers.remove(name);
                }
            }
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    /** A client cannot remove the message's framing by naming it in {@code Connection}. */
    private static boolean isFraming(String name) {
        return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
    }

    private static String forwardedElement(InetSocketAddress client, String ip, String proto, String host) {
        StringBuilder sb = new StringBuilder(64).append("for=");
        if (client.getAddress() instanceof Inet6Address) {
            sb.append("\"[").append(ip).append("]\"");
        } else {
            sb.append(ip);
        }
        sb.append(";proto=").append(proto);
        if (host != null) {
            sb.append(";host=\"").append(host.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }
}
