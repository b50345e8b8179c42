package io.portico.plugins.balancers;

import io.portico.api.balancer.Endpoint;
import java.util.List;
import java.util.stream.IntStream;

/** An endpoint whose count of requests in flight a test sets, as Portico's counters would move. */
final class TestEndpoint implements Endpoint {

    private final String host;
    private final int weight;
    private volatile int active;

    TestEndpoint(String host, int weight) {
        this.host = host;
        this.weight = weight;
    }

    /** Endpoints {@code 10.0.0.0:8080} and on, of weight 1. */
    static List<Endpoint> list(int count) {
        return IntStream.range(0, count).<Endpoint>mapToObj(i -> new TestEndpoint("10.0.0." + i, 1)).toList();
    }

    /** Endpoints {@code 10.0.0.0:8080} and on, of the given weights. */
    static List<Endpoint> weighted(int... weights) {
        return IntStream.range(0, weights.length)
                .<Endpoint>mapToObj(i -> new TestEndpoint("10.0.0." + i, weights[i])).toList();
    }

    /** Sets the requests in flight. */
    TestEndpoint active(int requests) {
        active = requests;
        return this;
    }

    @Override
    public String id() {
        return host + ":8080";
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return 8080;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int activeRequests() {
        return active;
    }

    @Override
    public String toString() {
        return id();
    }
}
