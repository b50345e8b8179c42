package io.portico.api.balancer;

/**
 * How one request sent to an endpoint went.
 *
 * @param outcome what happened
 * @param status the response status, or 0 when no response arrived
 * @param latencyNanos from sending the request to the response head (or the failure)
 */
public record RequestResult(Outcome outcome, int status, long latencyNanos) {

    /** What happened to a request sent to an endpoint. */
    public enum Outcome {
        /** A response arrived (any status). */
        RESPONDED,
        /** The connection could not be made. */
        CONNECT_FAILED,
        /** No response head arrived in time. */
        TIMED_OUT,
        /** The connection broke before the response was complete. */
        RESET
    }

    /** Whether the endpoint failed: no response, or a 5xx response. */
    public boolean failed() {
        return outcome != Outcome.RESPONDED || status >= 500;
    }
}
