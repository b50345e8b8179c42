package io.portico.core.distribution;

/**
 * A distribution that cannot be built, with a message written for the operator: what is wrong,
 * with which plugin or file, and what was expected.
 */
public final class DistributionException extends RuntimeException {

    /** @param message what is wrong and what was expected */
    public DistributionException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and what was expected
     * @param cause the failure underneath, kept for debugging
     */
    public DistributionException(String message, Throwable cause) {
        super(message, cause);
    }
}
