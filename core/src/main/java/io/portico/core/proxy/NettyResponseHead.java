package io.portico.core.proxy;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.portico.api.http.Headers;
import io.portico.api.http.ResponseHead;

/** The {@link ResponseHead} filters see: a view over the Netty response that is sent on. */
final class NettyResponseHead implements ResponseHead {

    final HttpResponse response;
    private final NettyHeaders headers;

    NettyResponseHead(HttpResponse response) {
        this.response = response;
        this.headers = new NettyHeaders(response.headers());
    }

    @Override
    public int status() {
        return response.status().code();
    }

    @Override
    public void status(int status) {
        response.setStatus(HttpResponseStatus.valueOf(status));
    }

    @Override
    public Headers headers() {
        return headers;
    }
}
