package io.portico.core.config;

import java.util.List;

/**
 * Retrying a request on another endpoint. A request is retried when the connection could not be
 * made (any method: nothing was sent), or broke before any response byte arrived (idempotent
 * methods only), and, when listed in {@code on-status}, on those statuses (idempotent methods
 * only). Retries are limited by a budget so that they cannot snowball when an upstream struggles.
 *
 * @param attempts how many more endpoints to try after the first (default 2)
 * @param budgetPercent retries allowed as a share of the requests in the last ten seconds, in
 *     percent (default 20)
 * @param minRetriesPerSecond retries always allowed per second whatever the budget, so that a
 *     quiet upstream can still fail over (default 10)
 * @param onStatus response statuses that cause a retry of idempotent requests, among 502, 503,
 *     504 (default none)
 */
public record RetryConfig(Integer attempts, Integer budgetPercent, Integer minRetriesPerSecond, List<Integer> onStatus) {

    /** Every default. */
    public static final RetryConfig DEFAULTS = new RetryConfig(null, null, null, null);

    /** Applies defaults and validates. */
    public RetryConfig {
        attempts = attempts == null ? 2 : attempts;
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be 0 or more, got " + attempts);
        }
        budgetPercent = budgetPercent == null ? 20 : budgetPercent;
        if (budgetPercent < 0 || budgetPercent > 100) {
            throw new IllegalArgumentException("budget-percent must be 0..100, got " + budgetPercent);
        }
        minRetriesPerSecond = minRetriesPerSecond == null ? 10 : minRetriesPerSecond;
        onStatus = onStatus == null ? List.of() : List.copyOf(onStatus);
        for (int status : onStatus) {
            if (status != 502 && status != 503 && status != 504) {
                throw new IllegalArgumentException("on-status: only 502, 503 and 504 can be retried, got " + status);
            }
        }
    }
}
