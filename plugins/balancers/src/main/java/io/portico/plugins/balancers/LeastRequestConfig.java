package io.portico.plugins.balancers;

/**
 * Settings of the {@code least-request} balancer.
 *
 * @param choices how many endpoints are drawn at random for each request, the least loaded of
 *     which is picked; at least 2, default 2
 */
public record LeastRequestConfig(Integer choices) {

    /** The number of choices when none is given: the "power of two choices". */
    public static final int DEFAULT_CHOICES = 2;

    /** Applies the default and checks the range. */
    public LeastRequestConfig {
        if (choices == null) {
            choices = DEFAULT_CHOICES;
        }
        if (choices < 2) {
            throw new IllegalArgumentException("choices must be at least 2, got " + choices);
        }
    }
}
