package io.portico.core.upstream;

import io.portico.api.balancer.RequestResult;

/**
 * Judges an upstream's endpoints by how the requests sent to them went (passive health), for
 * instance by ejecting one that keeps failing. {@link Upstream#report} hands it every result, on
 * the event loop that served the request: implementations must be thread-safe and cheap.
 */
@FunctionalInterface
public interface PassiveHealth {

    /** Judges nothing. */
    PassiveHealth NONE = (upstream, endpoint, result) -> {
    };

    /** Hears how a request that {@code upstream} sent to {@code endpoint} went. */
    void onResult(Upstream upstream, UpstreamEndpoint endpoint, RequestResult result);
}
