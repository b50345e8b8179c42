package io.portico.core.config;

import java.time.Duration;

/**
 * Passive health (outlier detection): an endpoint whose requests fail in a row (5xx responses,
 * connection failures, timeouts) is ejected from rotation for a while, longer on each repeated
 * ejection; a cap on the ejected share keeps an upstream from ejecting everything.
 *
 * @param enabled whether to eject at all (default true)
 * @param consecutiveFailures failures in a row that eject an endpoint (default 5)
 * @param baseEjection the first ejection's length; the n-th lasts n times as long (default 30s)
 * @param maxEjection the longest ejection (default 300s)
 * @param maxEjectedPercent the largest share of an upstream's endpoints ejected at once, in
 *     percent (default 50; at least one endpoint may always be ejected when there are several)
 */
public record OutlierConfig(
        Boolean enabled,
        Integer consecutiveFailures,
        Duration baseEjection,
        Duration maxEjection,
        Integer maxEjectedPercent) {

    /** Every default. */
    public static final OutlierConfig DEFAULTS = new OutlierConfig(null, null, null, null, null);

    /** Applies defaults and validates. */
    public OutlierConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        consecutiveFailures = consecutiveFailures == null ? 5 : consecutiveFailures;
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutive-failures must be at least 1, got " + consecutiveFailures);
        }
        baseEjection = baseEjection == null ? Duration.ofSeconds(30) : Durations.positive(baseEjection, "base-ejection");
        maxEjection = maxEjection == null ? Duration.ofSeconds(300) : Durations.positive(maxEjection, "max-ejection");
        maxEjectedPercent = maxEjectedPercent == null ? 50 : maxEjectedPercent;
        if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
            throw new IllegalArgumentException("max-ejected-percent must be 0..100, got " + maxEjectedPercent);
        }
    }
}
