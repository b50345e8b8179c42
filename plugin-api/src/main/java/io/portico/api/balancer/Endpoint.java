package io.portico.api.balancer;

/**
 * One address of an upstream that requests can be sent to.
 *
 * <p>Endpoints are provided by Portico; balancers read them. The live counters make
 * load-aware algorithms possible without each balancer tracking requests itself.
 */
public interface Endpoint {

    /** A stable identity, {@code host:port}. */
    String id();

    /** The host name or literal address. */
    String host();

    /** The port. */
    int port();

    /** The configured weight, at least 1 (default 1). */
    int weight();

    /** Requests sent to this endpoint whose response has not ended yet, across all threads. */
    int activeRequests();
}
