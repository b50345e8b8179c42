package io.portico.api.filter;

import io.portico.api.http.ResponseHead;

/**
 * Sees each request of a route on its way to the upstream, and its response on the way back.
 *
 * <p>A route's filters run in the order written for requests and in reverse order for responses:
 *
 * <pre>
 *   client -&gt; f1.onRequest -&gt; f2.onRequest -&gt; upstream
 *   client &lt;- f1.onResponse &lt;- f2.onResponse &lt;- upstream
 * </pre>
 *
 * <p>{@link #onResponse} is called only for filters whose {@link #onRequest} let the request
 * proceed. When a filter {@linkplain FilterResult#respond answers} a request, the filters after it
 * and the upstream are skipped, and the answer goes back through the {@code onResponse} of the
 * filters before it.
 *
 * <p>Both methods are called on the connection's event loop thread and must not block it: return
 * {@link FilterResult#async} for anything that waits. One instance serves every connection and
 * event loop, so keep per-request state in the {@link Exchange}, not in fields.
 *
 * <h2>Bodies</h2>
 *
 * <p>Bodies stream through Portico without being held, and filters do not see them. A filter that
 * must read or replace a body says so with {@link #requestBodyLimit()} or {@link
 * #responseBodyLimit()}: for the routes it is on, Portico then reads that body whole (up to the
 * limit) before calling the filters of that phase, which find it in {@link
 * Exchange#requestBody()} or {@link Exchange#responseBody()}. A request body over the limit is
 * answered with 413; a response body over the limit with 502. Ask only when needed: a held body
 * costs memory and adds latency.
 */
public interface Filter {

    /**
     * The largest request body this filter needs to see, in bytes; 0 (the default) when it does
     * not read the request body.
     */
    default long requestBodyLimit() {
        return 0;
    }

    /**
     * The largest response body this filter needs to see, in bytes; 0 (the default) when it does
     * not read the response body.
     */
    default long responseBodyLimit() {
        return 0;
    }

    /**
     * Called when a request's head has arrived, before any of its body is read.
     *
     * @return {@link FilterResult#proceed()} to go on, {@link FilterResult#respond} to answer
     *     here, or {@link FilterResult#async} to decide later
     */
    default FilterResult onRequest(Exchange exchange) {
        return FilterResult.proceed();
    }

    /**
     * Called when the response's head is on its way back to the client, before its body.
     *
     * @return {@link FilterResult#proceed()} to go on (with the head as changed), {@link
     *     FilterResult#respond} to replace the response, or {@link FilterResult#async}
     */
    default FilterResult onResponse(Exchange exchange, ResponseHead response) {
        return FilterResult.proceed();
    }
}
