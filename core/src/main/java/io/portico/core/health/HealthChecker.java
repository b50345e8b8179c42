package io.portico.core.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.portico.core.config.HealthCheckConfig;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.transport.Transport;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import io.portico.core.upstream.UpstreamTls;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one upstream: probes each of its endpoints, primary and backup, on a
 * {@link ProbeSchedule}, and takes an endpoint out of rotation after {@code unhealthy-threshold}
 * failed probes in a row, and back after {@code healthy-threshold} good ones.
 *
 * <p>Endpoints start healthy (optimistic, as Envoy and nginx do): traffic flows from the first
 * moment, and a dead endpoint is out after {@code unhealthy-threshold} probes, meanwhile covered by
 * passive health and retries. Every probe's outcome becomes the endpoint's
 * {@linkplain UpstreamEndpoint#checkReason() reason}; a change of verdict is logged (WARN when an
 * endpoint goes out, INFO when it comes back) and the upstream recomputes what it offers.
 *
 * <p>An HTTP probe is one request on a fresh connection ({@code Connection: close}): it exercises
 * what a new proxied connection needs (the endpoint's accept queue and a working process behind
 * it), a restarted endpoint is seen at once, and there is no pooled connection to keep alive
 * between probes seconds apart. A TCP probe passes when the connection opens.
 *
 * <p>Probes go the way requests go: to an upstream with {@code tls} over TLS with the same
 * verification (a failed handshake fails the probe, saying why), and to an {@code h2} upstream as
 * an HTTP/2 stream.
 *
 * <p>Probes run on the server's event loops, each endpoint's always on the same loop (so its
 * counters need no locks), and never block. {@link #close()} cancels the pending probes; the
 * checker has no threads of its own.
 *
 * <p>The endpoints may change while Portico runs (a DNS name's answer changes): every interval the
 * checker looks at the upstream's endpoints again, starts probing the new ones and stops probing
 * those that left.
 */
public final class HealthChecker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    private static final String USER_AGENT = "portico-health-check";
    /** Probes disable server push: a stream the origin opens anyway is closed. */
    private static final ChannelHandler REFUSE_PUSH = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
            ch.close();
        }
    };

    private final Upstream upstream;
    private final HealthCheckConfig config;
    private final ProbeSchedule schedule;
    private final Transport transport;
    private final EventLoopGroup loops;
    private final Map<UpstreamEndpoint, EndpointCheck> checks = new ConcurrentHashMap<>();
    private List<UpstreamEndpoint> known = List.of();
    private ScheduledFuture<?> nextSync;
    private final String timeoutText;
    private final HttpMethod method;
    private volatile boolean closed;

    private HealthChecker(Upstream upstream, HealthCheckConfig config, EventLoopGroup loops, Transport transport,
            RandomGenerator random) {
        this.upstream = upstream;
        this.config = config;
        this.schedule = new ProbeSchedule(config.interval(), config.jitter(), random);
        this.transport = transport;
        this.timeoutText = text(config.timeout());
        this.method = HttpMethod.valueOf(config.method());
        this.loops = loops;
    }

    /**
     * Starts checking {@code upstream}'s endpoints as its {@code health-check} says.
     *
     * @param loops the event loops probes run on
     * @param transport makes the probes' connections
     * @param random the source of the schedule's jitter
     * @throws IllegalArgumentException when the upstream has no {@code health-check}, or its method
     *     is not a valid HTTP method
     */
    public static HealthChecker start(Upstream upstream, EventLoopGroup loops, Transport transport, RandomGenerator random) {
        HealthCheckConfig config = upstream.config().healthCheck();
        if (config == null) {
            throw new IllegalArgumentException("upstream '" + upstream.name() + "' has no health-check");
        }
        HealthChecker checker = new HealthChecker(upstream, config, loops, transport, random);
        checker.sync();
        return checker;
    }

    /**
     * Starts probing the upstream's endpoints that have no probes yet, stops probing those that
     * left, and comes back an interval later. Runs on one event loop at a time.
     */
    private synchronized void sync() {
        if (closed) {
            return;
        }
        List<UpstreamEndpoint> current = upstream.endpoints();
        if (current != known) {
            for (UpstreamEndpoint endpoint : current) {
                if (!checks.containsKey(endpoint)) {
                    EndpointCheck check = new EndpointCheck(endpoint, loops.next());
                    checks.put(endpoint, check);
                    endpoint.checked(true, "not checked yet");
                    check.schedule(schedule.firstDelayNanos());
                }
            }
            checks.values().removeIf(check -> {
                boolean left = !current.contains(check.endpoint);
                if (left) {
                    check.cancel();
                }
                return left;
            });
            known = current;
        }
        nextSync = loops.next().schedule(this::sync, config.interval().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops probing: cancels the pending probes and closes those under way. */
    @Override
    public synchronized void close() {
        closed = true;
        if (nextSync != null) {
            nextSync.cancel(false);
        }
        for (EndpointCheck check : checks.values()) {
            check.cancel();
        }
    }

    /** The probes of one endpoint; everything but {@link #cancel()} runs on its event loop. */
    private final class EndpointCheck {
        private final UpstreamEndpoint endpoint;
        private final EventLoop loop;
        private int successes;
        private int failures;
        private volatile ScheduledFuture<?> next;
        private volatile Channel channel;

        EndpointCheck(UpstreamEndpoint endpoint, EventLoop loop) {
            this.endpoint = endpoint;
            this.loop = loop;
        }

        void schedule(long delayNanos) {
            if (!closed && checks.get(endpoint) == this) {
                next = loop.schedule(this::probe, delayNanos, TimeUnit.NANOSECONDS);
            }
        }

        void cancel() {
            ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
        }

        private void probe() {
            if (closed) {
                return;
            }
            Probe probe = new Probe(this);
            UpstreamTls tls = upstream.tls();
            boolean http = config.type() == HealthCheckConfig.Type.HTTP;
            boolean h2 = http && upstream.config().protocol() == UpstreamConfig.Protocol.H2;
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channelFactory(transport.socketChannelFactory())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc(), endpoint));
                            }
                            if (h2) {
                                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)).build(),
                                        new Http2MultiplexHandler(REFUSE_PUSH));
                            } else if (http) {
                                ch.pipeline().addLast(new HttpClientCodec(), new HttpProbeHandler(request(), config, probe::complete));
                            }
                        }
                    });
            ChannelFuture connect = bootstrap.connect(endpoint.address());
            probe.start(connect.channel());
            connect.addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    probe.complete(new ProbeOutcome(false, connectFailure(f.cause())));
                } else if (tls != null) {
                    SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
                    ssl.handshakeFuture().addListener(handshake -> {
                        if (!handshake.isSuccess()) {
                            probe.complete(new ProbeOutcome(false, "TLS handshake failed: " + rootMessage(handshake.cause())));
                        } else {
                            connected(f.channel(), probe, h2);
                        }
                    });
                } else {
                    connected(f.channel(), probe, h2);
                }
            });
        }

        /** The connection is up (TLS included): a TCP probe has passed, an HTTP/2 probe opens its stream. */
        private void connected(Channel channel, Probe probe, boolean h2) {
            if (config.type() == HealthCheckConfig.Type.TCP) {
                probe.complete(new ProbeOutcome(true, upstream.tls() == null ? "connected" : "connected with TLS"));
            } else if (h2) {
                new Http2StreamChannelBootstrap(channel)
                        .handler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel ch) {
                                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                                        new HttpProbeHandler(request(), config, probe::complete));
                            }
                        })
                        .open()
                        .addListener(opened -> {
                            if (!opened.isSuccess()) {
                                probe.complete(new ProbeOutcome(false, "cannot open an HTTP/2 stream: " + rootMessage(opened.cause())));
                            }
                        });
            }
        }

        private FullHttpRequest request() {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method,
                    config.path(), Unpooled.EMPTY_BUFFER);
            request.headers()
                    .set(HttpHeaderNames.HOST, config.host() == null ? endpoint.authority() : config.host())
                    .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            return request;
        }

        private static String rootMessage(Throwable cause) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }

        private String connectFailure(Throwable cause) {
            return switch (cause) {
                case ConnectTimeoutException t -> "timed out after " + timeoutText;
                case ConnectException c -> "connect refused";
                default -> "connect failed: " + cause.getMessage();
            };
        }

        private void judge(ProbeOutcome outcome) {
            boolean healthy = endpoint.checkedHealthy();
            if (outcome.healthy()) {
                failures = 0;
                successes++;
                healthy |= successes >= config.healthyThreshold();
            } else {
                successes = 0;
                failures++;
                healthy &= failures < config.unhealthyThreshold();
            }
            if (endpoint.checked(healthy, outcome.reason())) {
                upstream.healthChanged();
                if (healthy) {
                    LOG.info("upstream '{}': endpoint {} is healthy again after {} good checks: {}",
                            upstream.name(), endpoint, successes, outcome.reason());
                } else {
                    LOG.warn("upstream '{}': endpoint {} is unhealthy after {} failed checks: {}",
                            upstream.name(), endpoint, failures, outcome.reason());
                }
            }
            schedule(schedule.nextDelayNanos());
        }
    }

    /** One probe under way: its connection, its deadline, and its verdict, given once. */
    private final class Probe {
        private final EndpointCheck check;
        private ScheduledFuture<?> deadline;
        private boolean done;

        Probe(EndpointCheck check) {
            this.check = check;
        }

        void start(Channel channel) {
            check.channel = channel;
            deadline = check.loop.schedule(() -> complete(new ProbeOutcome(false, "timed out after " + timeoutText)),
                    config.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }

        void complete(ProbeOutcome outcome) {
            if (done) {
                return;
            }
            done = true;
            deadline.cancel(false);
            Channel channel = check.channel;
            check.channel = null;
            channel.close();
            if (!closed) {
                check.judge(outcome);
            }
        }
    }

    /** {@code 2s}, or {@code 250ms} when not whole seconds. */
    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
