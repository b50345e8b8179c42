package io.portico.core.health;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When an endpoint is probed: the first probe after a random delay of up to {@code jitter} (so
 * that the endpoints of a large upstream are not all probed at the same instant), then every
 * {@code interval} plus a random delay of up to {@code jitter}, counted from the end of the
 * previous probe.
 *
 * @param interval the time between two probes
 * @param jitter the largest random extra delay; zero for none
 * @param random the source of the random delays
 */
public record ProbeSchedule(Duration interval, Duration jitter, RandomGenerator random) {

    /** Nanoseconds until an endpoint's first probe. */
    public long firstDelayNanos() {
        return jitterNanos();
    }

    /** Nanoseconds from the end of a probe to the start of the next. */
    public long nextDelayNanos() {
        return interval.toNanos() + jitterNanos();
    }

    private long jitterNanos() {
        long bound = jitter.toNanos();
        return bound <= 0 ? 0 : random.nextLong(bound);
    }
}
