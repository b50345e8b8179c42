package io.portico.core.upstream;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Slow start: an endpoint that joined or came back less than {@code window} ago takes a share of
 * its full load that grows linearly with the time since, from 10% up to all of it.
 *
 * <p>It works with any balancer: when the balancer picks a ramping endpoint, the pick stands with
 * probability {@link #share}; otherwise the balancer picks again among the other endpoints. When
 * every endpoint is ramping and declined, the last pick stands, so requests always find one.
 * A stateful balancer moves on when asked again: under round robin a ramping endpoint among two
 * takes {@code p / (1 + p)} of the requests rather than {@code p / 2}, still a ramp.
 */
public final class SlowStart {

    /** The share of a ramping endpoint at the very start of its window. */
    public static final double MIN_SHARE = 0.1;

    private final long windowNanos;
    private final DoubleSupplier random;

    /**
     * @param window how long an endpoint ramps up; zero for no slow start
     * @param random uniform numbers in [0, 1), such as {@code ThreadLocalRandom.current()::nextDouble}
     *     called on each thread
     */
    public SlowStart(Duration window, DoubleSupplier random) {
        this.windowNanos = window.toNanos();
        this.random = random;
    }

    /**
     * The share of its full load that {@code endpoint} takes at {@code nowNanos}
     * ({@link System#nanoTime()}): {@code max(0.1, elapsed / window)}, or 1 once the window has
     * passed (or without slow start).
     */
    public double share(UpstreamEndpoint endpoint, long nowNanos) {
        long elapsed = nowNanos - endpoint.availableSinceNanos();
        if (elapsed >= windowNanos) {
            return 1;
        }
        return Math.max(MIN_SHARE, (double) elapsed / windowNanos);
    }

    /**
     * Picks with {@code balancer} among {@code offered}, declining ramping endpoints beyond their
     * share. Allocates only when a pick is declined.
     */
    public Endpoint select(Balancer balancer, List<Endpoint> offered, SelectionContext context, long nowNanos) {
        Endpoint picked = balancer.select(offered, context);
        List<Endpoint> others = null;
        while (picked instanceof UpstreamEndpoint endpoint && declined(endpoint, nowNanos)) {
            if (others == null) {
                others = new ArrayList<>(offered);
            }
            if (!others.remove(picked) || others.isEmpty()) {
                break;
            }
            picked = balancer.select(others, context);
        }
        return picked;
    }

    private boolean declined(UpstreamEndpoint endpoint, long nowNanos) {
        double share = share(endpoint, nowNanos);
        return share < 1 && random.getAsDouble() >= share;
    }
}
