/**
 * Request routing: {@link io.portico.core.routing.Router} picks the route of a request from its
 * host, path, method, headers and query, and {@link io.portico.core.routing.RouteMatch} carries
 * what the match found (path captures) and the path to send upstream.
 */
package io.portico.core.routing;
