package io.portico.plugins.balancers;

import io.portico.api.balancer.Endpoint;

/**
 * Compares how loaded endpoints are relative to their weights.
 *
 * <p>The load of an endpoint is {@code (activeRequests + 1) / weight}: the share of its capacity it
 * would use once it takes the request being placed. Counting that request makes weights matter
 * even when everything is idle, so an endpoint of weight 3 takes three requests for every one an
 * endpoint of weight 1 takes while both are equally busy for their size.
 */
final class Loads {

    private Loads() {
    }

    /** Whether {@code a} carries strictly less load for its weight than {@code b}. */
    static boolean lighter(Endpoint a, Endpoint b) {
        return compare(a.activeRequests(), a.weight(), b.activeRequests(), b.weight()) < 0;
    }

    /**
     * Compares the load of an endpoint with {@code activeA} requests in flight and weight {@code
     * weightA} with that of another: negative, zero or positive as the first is lighter, equal or
     * heavier. Exact: no division, no overflow.
     */
    static int compare(int activeA, int weightA, int activeB, int weightB) {
        return Long.compare((activeA + 1L) * weightB, (activeB + 1L) * weightA);
    }

    /** The greatest common divisor of {@code a} and {@code b} (Euclid), for reducing and scaling weights. */
    static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
