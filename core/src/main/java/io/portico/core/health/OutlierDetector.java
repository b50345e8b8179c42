package io.portico.core.health;

import io.portico.api.balancer.RequestResult;
import io.portico.core.config.OutlierConfig;
import io.portico.core.upstream.PassiveHealth;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health of one upstream (outlier detection): an endpoint whose requests fail
 * {@code consecutive-failures} times in a row ({@link RequestResult#failed()}: a 5xx response or
 * none at all) is ejected from rotation. The n-th ejection in a row lasts {@code base-ejection * n},
 * at most {@code max-ejection}; the count starts over once an endpoint has gone a whole
 * {@code max-ejection} without being ejected. A success ends a run of failures.
 *
 * <p>No more than {@code max-ejected-percent} of a pool (the primary endpoints, or the backup
 * ones) is ejected at once, though one endpoint may always be when the pool has two or more; an
 * endpoint that the cap keeps in rotation is ejected at its next failure once there is room.
 *
 * <p>Called from every event loop. A success costs one volatile read; only an ejection takes a
 * lock.
 */
public final class OutlierDetector implements PassiveHealth {

    private static final Logger LOG = LoggerFactory.getLogger(OutlierDetector.class);

    private final int threshold;
    private final long baseNanos;
    private final long maxNanos;
    private final int maxEjectedPercent;

    private OutlierDetector(OutlierConfig config) {
        this.threshold = config.consecutiveFailures();
        this.baseNanos = config.baseEjection().toNanos();
        this.maxNanos = config.maxEjection().toNanos();
        this.maxEjectedPercent = config.maxEjectedPercent();
    }

    /** The passive health {@code config} asks for: a detector, or {@link PassiveHealth#NONE} when disabled. */
    public static PassiveHealth of(OutlierConfig config) {
        return config.enabled() ? new OutlierDetector(config) : PassiveHealth.NONE;
    }

    @Override
    public void onResult(Upstream upstream, UpstreamEndpoint endpoint, RequestResult result) {
        if (!result.failed()) {
            endpoint.requestSucceeded();
            return;
        }
        long now = System.nanoTime();
        if (endpoint.ejectedUntilNanos() - now > 0) {
            return; // a request sent before the ejection; the endpoint is already out
        }
        if (endpoint.requestFailed() >= threshold) {
            eject(upstream, endpoint, result, now);
        }
    }

    private synchronized void eject(Upstream upstream, UpstreamEndpoint endpoint, RequestResult last, long now) {
        int failures = endpoint.consecutiveFailures();
        if (failures < threshold || endpoint.ejectedUntilNanos() - now > 0) {
            return; // another event loop ejected it meanwhile
        }
        int pool = 0;
        int ejected = 0;
        for (UpstreamEndpoint e : upstream.endpoints()) {
            if (e.backup() == endpoint.backup()) {
                pool++;
                if (e.ejectedUntilNanos() - now > 0) {
                    ejected++;
                }
            }
        }
        int allowed = pool * maxEjectedPercent / 100;
        if (pool >= 2) {
            allowed = Math.max(1, allowed);
        }
        if (ejected >= allowed) {
            LOG.debug("upstream '{}': not ejecting {} after {} failures in a row: {} of {} already ejected (max-ejected-percent {})",
                    upstream.name(), endpoint, failures, ejected, pool, maxEjectedPercent);
            return;
        }
        boolean streak = endpoint.ejections() > 0 && now - endpoint.ejectedUntilNanos() < maxNanos;
        int n = streak ? endpoint.ejections() + 1 : 1;
        long length = baseNanos > maxNanos / n ? maxNanos : baseNanos * n;
        String reason = failures + " failed requests in a row, the last: " + describe(last);
        endpoint.eject(now + length, n, reason);
        upstream.healthChanged();
        LOG.warn("upstream '{}': ejected endpoint {} for {}ms (ejection {} in a row): {}",
                upstream.name(), endpoint, length / 1_000_000, n, reason);
    }

    private static String describe(RequestResult result) {
        return switch (result.outcome()) {
            case RESPONDED -> "HTTP " + result.status();
            case CONNECT_FAILED -> "connection failed";
            case TIMED_OUT -> "no response in time";
            case RESET -> "connection broken before the response ended";
        };
    }
}
