package io.portico.plugins.balancers;

import java.time.Duration;

/**
 * Settings of the {@code peak-ewma} balancer.
 *
 * @param decayTime how long the memory of a latency lasts: an observation's influence falls to
 *     {@code 1/e} (37%) after this time; default {@code 10s}. Shorter reacts faster to recovering
 *     endpoints, longer smooths out noise
 */
public record PeakEwmaConfig(Duration decayTime) {

    /** The decay time when none is given. */
    public static final Duration DEFAULT_DECAY_TIME = Duration.ofSeconds(10);

    /** Applies the default and checks the decay time. */
    public PeakEwmaConfig {
        if (decayTime == null) {
            decayTime = DEFAULT_DECAY_TIME;
        }
        if (decayTime.isNegative() || decayTime.isZero()) {
            throw new IllegalArgumentException("decay-time must be positive, such as 10s, got " + decayTime);
        }
    }
}
