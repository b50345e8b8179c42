/**
 * Upstreams as the proxy uses them: endpoints with live counters, their balancer, and TLS to
 * them ({@link io.portico.core.upstream.UpstreamTls}: trust, server name, client certificate).
 */
package io.portico.core.upstream;
