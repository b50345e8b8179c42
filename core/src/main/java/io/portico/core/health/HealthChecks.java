package io.portico.core.health;

import io.netty.channel.EventLoopGroup;
import io.portico.core.transport.Transport;
import io.portico.core.upstream.Upstream;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The active health checks of a set of upstreams: one {@link HealthChecker} for each upstream
 * that has a {@code health-check}. The server starts them with its event loops and closes them
 * before it stops those.
 */
public final class HealthChecks implements AutoCloseable {

    private final List<HealthChecker> checkers;

    private HealthChecks(List<HealthChecker> checkers) {
        this.checkers = checkers;
    }

    /** Starts checking each of {@code upstreams} that has a {@code health-check}, on {@code loops}. */
    public static HealthChecks start(Collection<Upstream> upstreams, EventLoopGroup loops, Transport transport) {
        return new HealthChecks(upstreams.stream()
                .filter(u -> u.config().healthCheck() != null)
                // ThreadLocalRandom draws from the calling thread's own state: safe on every event loop
                .map(u -> HealthChecker.start(u, loops, transport, ThreadLocalRandom.current()))
                .toList());
    }

    /** Stops every checker. */
    @Override
    public void close() {
        checkers.forEach(HealthChecker::close);
    }
}
