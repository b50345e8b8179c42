package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.RequestResult;
import io.portico.api.balancer.SelectionContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Finagle's peak-EWMA balancer: draws two distinct endpoints at random and picks the one of lower
 * cost, where cost is {@code latency * (activeRequests + 1) / weight}.
 *
 * <p>Latency is a moving average of the latencies {@link #onResult} reports, with two twists. It is
 * sensitive to peaks: a latency above the average replaces it at once, so a slowing endpoint is
 * avoided from its first slow response, while faster responses pull the average down only
 * gradually. And it decays with time: the weight of the past falls as {@code exp(-elapsed /
 * decayTime)}, also between responses, so an endpoint that was avoided looks cheaper as time passes
 * and gets tried again. An endpoint with no latency yet costs nothing while idle and a great deal
 * while it has requests in flight, so a new endpoint is probed one request at a time.
 */
final class PeakEwmaBalancer implements Balancer {

    /** The cost of an endpoint busy with requests before any of them reported a latency. */
    private static final double UNKNOWN_BUSY_COST = 1e18;

    private final double decayNanos;
    private final RandomGenerator random;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<Endpoint, Ewma> latencies = new ConcurrentHashMap<>();
    private final PerListCache<Ewma[]> perList = new PerListCache<>(this::latenciesOf);

    /**
     * @param decayTime how long the memory of a latency lasts
     * @param random where the draws come from
     * @param nanoClock the time in nanoseconds, as {@link System#nanoTime()}
     */
    PeakEwmaBalancer(Duration decayTime, RandomGenerator random, LongSupplier nanoClock) {
        this.decayNanos = decayTime.toNanos();
        this.random = random;
        this.nanoClock = nanoClock;
    }

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        int size = endpoints.size();
        if (size == 1) {
            return endpoints.getFirst();
        }
        Ewma[] ewmas = perList.get(endpoints);
        int first = random.nextInt(size);
        int second = random.nextInt(size - 1);
        if (second >= first) {
            second++;
        }
        long now = nanoClock.getAsLong();
        Endpoint a = endpoints.get(first);
        Endpoint b = endpoints.get(second);
        return cost(a, ewmas[first], now) <= cost(b, ewmas[second], now) ? a : b;
    }

    @Override
    public void onResult(Endpoint endpoint, RequestResult result) {
        latencies.computeIfAbsent(endpoint, e -> new Ewma())
                .observe(Math.max(0, result.latencyNanos()), nanoClock.getAsLong(), decayNanos);
    }

    private double cost(Endpoint endpoint, Ewma ewma, long now) {
        double latency = ewma.value(now, decayNanos);
        int active = endpoint.activeRequests();
        if (latency == 0 && active > 0) {
            return UNKNOWN_BUSY_COST + active;
        }
        return latency * (active + 1) / endpoint.weight();
    }

    private Ewma[] latenciesOf(List<Endpoint> endpoints) {
        Ewma[] ewmas = new Ewma[endpoints.size()];
        for (int i = 0; i < ewmas.length; i++) {
            ewmas[i] = latencies.computeIfAbsent(endpoints.get(i), e -> new Ewma());
        }
        return ewmas;
    }

    /**
     * The peak-sensitive, time-decayed average latency of one endpoint, in nanoseconds. Updates take
     * a lock held for a few arithmetic operations; reads take none, and may pair a new average with
     * the previous time stamp, which only misjudges the decay of one pick.
     */
    private static final class Ewma {
        private volatile double average;
        private volatile long stamp = Long.MIN_VALUE;

        double value(long now, double decayNanos) {
            long last = stamp;
            if (last == Long.MIN_VALUE) {
                return 0;
            }
            return average * Math.exp(-Math.max(0, now - last) / decayNanos);
        }

        synchronized void observe(long latencyNanos, long now, double decayNanos) {
            long last = stamp;
            double current = average;
            if (last == Long.MIN_VALUE || latencyNanos > current) {
                average = latencyNanos;
            } else {
                double keep = Math.exp(-Math.max(0, now - last) / decayNanos);
                average = current * keep + latencyNanos * (1 - keep);
            }
            stamp = now;
        }
    }
}
