package io.portico.bench.jmh;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.RequestResult;
import io.portico.api.balancer.SelectionContext;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import io.portico.api.http.RequestHead;
import io.portico.plugins.balancers.LeastConnectionsBalancerFactory;
import io.portico.plugins.balancers.LeastRequestBalancerFactory;
import io.portico.plugins.balancers.LeastRequestConfig;
import io.portico.plugins.balancers.MaglevBalancerFactory;
import io.portico.plugins.balancers.MaglevConfig;
import io.portico.plugins.balancers.PeakEwmaBalancerFactory;
import io.portico.plugins.balancers.PeakEwmaConfig;
import io.portico.plugins.balancers.RandomBalancerFactory;
import io.portico.plugins.balancers.RingHashBalancerFactory;
import io.portico.plugins.balancers.RingHashConfig;
import io.portico.plugins.balancers.RoundRobinBalancerFactory;
import io.portico.plugins.balancers.WeightedRoundRobinBalancerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one pick among 100 or 1,000 endpoints, for every balancer, in steady state: the endpoint list
 * does not change, so per-list work (schedules, rings, tables) is already done, and endpoints carry
 * fixed, uneven weights and requests in flight ({@link #load}). The requests in flight are reported to the balancer
 * as Portico does ({@code onRequestStarted}), for the balancers that count them themselves, and
 * each endpoint reports them too ({@code activeRequests}), for those that read them there.
 * Consistent-hashing balancers hash the client address of requests taken in turn from a
 * precomputed array of random addresses.
 *
 * <p>{@link #select} measures the pick alone; {@link #selectStartEnd} one whole request's balancer
 * work: the pick, then the request's start and end reported on the endpoint picked.
 *
 * <pre>{@code java -jar bench/jmh/target/benchmarks.jar BalancerBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BalancerBenchmark {

    private static final int CLIENTS = 1 << 12;

    /** The balancer measured, by its configuration name. */
    @Param({"round-robin", "weighted-round-robin", "least-connections", "least-request", "random",
            "ring-hash", "maglev", "peak-ewma"})
    public String algorithm;

    /**
     * The requests in flight: {@code busy}, 0 to 15 on each endpoint; {@code idle}, none anywhere,
     * so that every endpoint ties for the least loaded.
     */
    @Param({"busy", "idle"})
    public String load;

    /** How many endpoints the balancer picks among. */
    @Param({"100", "1000"})
    public int endpointCount;

    private Balancer balancer;
    private List<Endpoint> endpoints;
    private SelectionContext[] requests;

    /** Where each benchmark thread is in the array of requests. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    /** Builds the balancer, the endpoints and the requests. */
    @Setup
    public void setUp() throws UnknownHostException {
        SplittableRandom random = new SplittableRandom(42);
        boolean idle = load.equals("idle");
        endpoints = IntStream.range(0, endpointCount).<Endpoint>mapToObj(i -> {
            int weight = 1 + random.nextInt(4);
            int inFlight = random.nextInt(16);
            return new FixedEndpoint("10.0." + i / 250 + "." + i % 250, 8080, weight, idle ? 0 : inFlight);
        }).toList();
        requests = new SelectionContext[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            byte[] address = new byte[4];
            random.nextBytes(address);
            requests[i] = new Request(new InetSocketAddress(InetAddress.getByAddress(address), 1024 + i));
        }
        balancer = create(algorithm);
        for (Endpoint endpoint : endpoints) {
            for (int i = 0; i < endpoint.activeRequests(); i++) {
                balancer.onRequestStarted(endpoint);
            }
        }
        for (Endpoint endpoint : endpoints) {
            for (int i = 0; i < 10; i++) {
                long latency = TimeUnit.MICROSECONDS.toNanos(500 + random.nextInt(20_000));
                balancer.onResult(endpoint, new RequestResult(RequestResult.Outcome.RESPONDED, 200, latency));
            }
        }
        balancer.select(endpoints, requests[0]);
    }

    /** Picks the endpoint of the next request. */
    @Benchmark
    public Endpoint select(Cursor cursor) {
        SelectionContext request = requests[cursor.next++ & (CLIENTS - 1)];
        return balancer.select(endpoints, request);
    }

    /** Picks the endpoint of the next request, and reports the request starting and ending there. */
    @Benchmark
    public Endpoint selectStartEnd(Cursor cursor) {
        SelectionContext request = requests[cursor.next++ & (CLIENTS - 1)];
        Endpoint picked = balancer.select(endpoints, request);
        balancer.onRequestStarted(picked);
        balancer.onRequestEnded(picked);
        return picked;
    }

    private static Balancer create(String algorithm) {
        return switch (algorithm) {
            case "round-robin" -> create(new RoundRobinBalancerFactory(), NoConfig.INSTANCE);
            case "weighted-round-robin" -> create(new WeightedRoundRobinBalancerFactory(), NoConfig.INSTANCE);
            case "least-connections" -> create(new LeastConnectionsBalancerFactory(), NoConfig.INSTANCE);
            case "least-request" -> create(new LeastRequestBalancerFactory(), new LeastRequestConfig(null));
            case "random" -> create(new RandomBalancerFactory(), NoConfig.INSTANCE);
            case "ring-hash" -> create(new RingHashBalancerFactory(), new RingHashConfig(null, null, null));
            case "maglev" -> create(new MaglevBalancerFactory(), new MaglevConfig(null, null, null));
            case "peak-ewma" -> create(new PeakEwmaBalancerFactory(), new PeakEwmaConfig(null));
            default -> throw new IllegalArgumentException("unknown algorithm " + algorithm);
        };
    }

    private static <C> Balancer create(BalancerFactory<C> factory, C config) {
        return factory.create(config, new ExtensionContext() {
            @Override
            public Path configDirectory() {
                return Path.of(".");
            }

            @Override
            public String configPath() {
                return "upstreams.bench.balancer." + factory.name();
            }
        });
    }

    private record FixedEndpoint(String host, int port, int weight, int activeRequests) implements Endpoint {
        @Override
        public String id() {
            return host + ":" + port;
        }
    }

    private record Request(InetSocketAddress clientAddress) implements SelectionContext {
        @Override
        public RequestHead request() {
            return null;
        }

        @Override
        public int attempt() {
            return 0;
        }
    }
}
