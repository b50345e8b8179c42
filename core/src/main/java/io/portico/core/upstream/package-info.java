/** Upstreams as the proxy uses them: endpoints with live counters, and their balancer. */
package io.portico.core.upstream;
