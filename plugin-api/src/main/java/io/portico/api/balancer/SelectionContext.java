package io.portico.api.balancer;

import io.portico.api.http.RequestHead;
import java.net.InetSocketAddress;

/** What a {@link Balancer} knows of the request it picks an endpoint for. */
public interface SelectionContext {

    /** The client's address. */
    InetSocketAddress clientAddress();

    /**
     * The request head, for hashing on a header, cookie or path; {@code null} for a TCP (layer 4)
     * connection.
     */
    RequestHead request();

    /** How many endpoints were already tried for this request (0 on the first pick). */
    int attempt();
}
