package io.portico.core.proxy;

import io.netty.handler.codec.http.HttpMethod;
import io.portico.api.balancer.Endpoint;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which failed attempts of an exchange may be sent again, and where. */
final class RetryRules {

    private static final Logger LOG = LoggerFactory.getLogger(RetryRules.class);

    private RetryRules() {
    }

    /**
     * The endpoint to try next after the current one failed, or {@code null} when the failure
     * stands: the attempts are used up, every available endpoint was tried, or (for a request sent
     * again, {@code resend}) the upstream's retry budget is spent. A retry the budget allows is
     * counted in it.
     */
    static UpstreamEndpoint nextEndpoint(ProxyExchange e, boolean resend) {
        Upstream upstream = e.route.upstream();
        if (e.attempt > upstream.config().retries().attempts()) {
            return null;
        }
        if (e.tried == null) {
            e.tried = new ArrayList<>(4);
        }
        if (!e.tried.contains(e.endpoint)) {
            e.tried.add(e.endpoint);
        }
        if (!anyUntried(upstream.offered(), e.tried)) {
            return null;
        }
        if (resend && !upstream.retryBudget().tryRetry(System.nanoTime())) {
            LOG.debug("retry budget of upstream '{}' spent; not retrying {} {}", upstream.name(), e.request.method(), e.request.path());
            return null;
        }
        UpstreamEndpoint next;
        try {
            next = upstream.select(e, e.tried);
        } catch (RuntimeException failure) {
            LOG.error("balancer of upstream '{}' failed", upstream.name(), failure);
            return null;
        }
        return next == null || e.tried.contains(next) ? null : next;
    }

    /** Whether {@code offered} holds an endpoint not in {@code tried}. */
    private static boolean anyUntried(List<Endpoint> offered, List<UpstreamEndpoint> tried) {
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
