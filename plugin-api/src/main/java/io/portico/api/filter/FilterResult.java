package io.portico.api.filter;

import io.portico.api.http.Response;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What a {@link Filter} decided: go on, answer the request itself, or decide later.
 *
 * <p>{@link #proceed()} is a shared constant, so the common case allocates nothing.
 */
public final class FilterResult {

    private static final FilterResult PROCEED = new FilterResult(null, null);

    private final Response response;
    private final CompletionStage<FilterResult> pending;

    private FilterResult(Response response, CompletionStage<FilterResult> pending) {
        this.response = response;
        this.pending = pending;
    }

    /** Go on to the next filter (or the upstream, or the client). */
    public static FilterResult proceed() {
        return PROCEED;
    }

    /**
     * Answer with {@code response} instead: the rest of the request chain and the upstream are
     * skipped. From {@link Filter#onResponse}, replaces the upstream's response.
     */
    public static FilterResult respond(Response response) {
        return new FilterResult(Objects.requireNonNull(response, "response"), null);
    }

    /**
     * Decide when {@code stage} completes, without holding the event loop meanwhile. Portico
     * resumes the exchange on its event loop thread with the stage's result; a stage that fails
     * fails the request with 500 (and is logged).
     *
     * <p>Change the exchange only on its event loop: either after resuming (return a result that
     * Portico applies) or inside {@code thenApplyAsync(..., exchange.executor())}.
     */
    public static FilterResult async(CompletionStage<FilterResult> stage) {
        return new FilterResult(null, Objects.requireNonNull(stage, "stage"));
    }

    /** Whether this result lets the exchange go on. */
    public boolean proceeds() {
        return this == PROCEED;
    }

    /** The answer, for a result made by {@link #respond}; otherwise {@code null}. */
    public Response response() {
        return response;
    }

    /** The pending decision, for a result made by {@link #async}; otherwise {@code null}. */
    public CompletionStage<FilterResult> pending() {
        return pending;
    }
}
