package io.portico.core.proxy;

import io.netty.handler.codec.http.HttpMethod;
import io.portico.api.balancer.Endpoint;
import io.portico.core.upstream.UpstreamEndpoint;
import java.util.List;

/** Which failed attempts of an exchange may be sent again, and where. */
final class RetryRules {

    private RetryRules() {
    }

    /** Whether {@code offered} holds an endpoint not in {@code tried}. */
    static boolean anyUntried(List<Endpoint> offered, List<UpstreamEndpoint> tried) {
        for (Endpoint endpoint : offered) {
            if (!tried.contains(endpoint)) {
                return true;
            }
        }
        return false;
    }

    /** Idempotent methods (RFC 9110 section 9.2.2): sending one twice does no more than once. */
    static boolean idempotent(HttpMethod method) {
        return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS)
                || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.DELETE) || method.equals(HttpMethod.TRACE);
    }

    /** Whether a failure after the request was sent may be retried elsewhere: idempotent, and no body was streamed. */
    static boolean resendable(ProxyExchange e) {
        return e.replayable() && idempotent(e.request.netty().method());
    }

    /** Whether the upstream retries on {@code status} (its {@code retries.on-status}) and the request may be sent again. */
    static boolean retriesOnStatus(ProxyExchange e, int status) {
        List<Integer> onStatus = e.route.upstream().config().retries().onStatus();
        return !onStatus.isEmpty() && onStatus.contains(status) && resendable(e);
    }
}
