package io.portico.core.tcp;

import io.portico.api.balancer.SelectionContext;
import io.portico.api.http.RequestHead;
import java.net.InetSocketAddress;

/**
 * What a balancer knows of a TCP connection: the client's address only (there is no request).
 *
 * @param clientAddress the client's address
 * @param attempt how many endpoints were already tried for this connection
 */
record TcpSelection(InetSocketAddress clientAddress, int attempt) implements SelectionContext {

    /** {@code null}: a TCP connection has no request head. */
    @Override
    public RequestHead request() {
        return null;
    }
}
