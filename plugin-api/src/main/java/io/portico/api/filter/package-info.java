/**
 * Filters: code that sees each request and response of a route, in a per-route chain. The most
 * common extension; WAF, auth, caching, rate limits, header rewriting and JavaScript filters are
 * all filters.
 */
package io.portico.api.filter;
